import type { FastifyInstance } from 'fastify';
import { NUL_MESSAGE } from '../domain/json-text.js';
import { ValidationError } from './aws/errors.js';

/**
 * Refuses requests whose decoded path parameters, query values or parsed (form or JSON) body hold
 * U+0000: PostgreSQL's text type cannot store it, so `/portal/api/tasks/%00/release` or a worker
 * named "a%00" used to fail inside the insert or lookup with a 500. Raw bodies (the AWS and admin
 * APIs) are checked as text by parseJsonBody. The error is a ValidationError, which every area's
 * error handler words in its own shape, and carries status 400 for routes with Fastify's default
 * handler.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (holdsNul(request.params) || holdsNul(request.query) || holdsNul(request.body)) {
      throw Object.assign(new ValidationError(NUL_MESSAGE), { statusCode: 400 });
    }
  });
}

/** Strings, keys and nested values, walked with a stack (JSON bodies are depth-bounded, but no recursion is needed). */
function holdsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') {
      if (next.includes('\u0000')) return true;
    } else if (next !== null && typeof next === 'object' && !Buffer.isBuffer(next)) {
      for (const [key, member] of Object.entries(next)) {
        if (key.includes('\u0000')) return true;
        stack.push(member);
      }
    }
  }
  return false;
}
