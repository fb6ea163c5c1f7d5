/**
 * Assertions on what the real `@aws-sdk/client-sagemaker` client returns from a listening Tandem:
 * its modeled errors, AWS's request-validator wording, and timestamps the server just set.
 */
import assert from 'node:assert/strict';

/**
 * The SDK rejects with `name` and HTTP 400 (every SageMaker control-plane error is a 400), with a
 * message matching `message` when given, and as an instance of the SDK's `modeled` exception class
 * when given.
 */
export async function rejectsWith(
  promise: Promise<unknown>,
  name: string,
  message?: RegExp,
  modeled?: abstract new (...args: never[]) => Error,
): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name, `expected ${name}, got ${error.name}: ${error.message}`);
    assert.equal(error.$metadata?.httpStatusCode, 400);
    if (message) assert.match(error.message, message);
    if (modeled) assert.ok(error instanceof modeled, `expected an instance of ${modeled.name}`);
    return true;
  });
}

/**
 * AWS's request-validator wording for exactly one violation at `path` (dots taken literally);
 * `constraint` is a regular expression source matched from the start of the constraint's text.
 */
export const oneViolation = (path: string, constraint: string) =>
  new RegExp(`^1 validation error detected: Value .*at '${path.replace(/\./g, '\\.')}' failed to satisfy constraint: ${constraint}`);

/** `value` is a Date within a minute of now. */
export function assertRecent(value: Date | undefined, label: string): void {
  assert.ok(value instanceof Date, `${label} is a Date`);
  assert.ok(Math.abs(Date.now() - value.getTime()) < 60_000, `${label} (${value.toISOString()}) is near now`);
}
