import { exceedsJsonDepth, jsonTextDecodesNul, jsonTooDeepMessage, NUL_MESSAGE } from '../../domain/json-text.js';
import { SerializationError, ValidationError } from './errors.js';

/** A request body as a JSON object; an empty body is `{}`, as the SDKs send for no input. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const text = body.toString('utf8');
  if (exceedsJsonDepth(text)) throw new SerializationError(jsonTooDeepMessage('The request body'));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SerializationError('The request body is not valid JSON.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SerializationError('The request body must be a JSON object.');
  }
  if (jsonTextDecodesNul(text)) throw new ValidationError(NUL_MESSAGE);
  return value as Record<string, unknown>;
}
