import { SerializationError } from './errors.js';

/** A request body as a JSON object; an empty body is `{}`, as the SDKs send for no input. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new SerializationError('The request body is not valid JSON.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SerializationError('The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}
