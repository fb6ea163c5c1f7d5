/**
 * Tandem's error catalogue. Domain and API code throw these typed errors; `wire-errors.ts` maps
 * each class to the status code and error type of the protocol the request arrived on, in one
 * place, because the two AWS protocols Tandem speaks name the same failure differently
 * (A2I runtime `ResourceNotFoundException` 404 vs SageMaker `ResourceNotFound` 400).
 */

/** Base class: every error a client can cause. `message` is sent to the client verbatim. */
export abstract class TandemError extends Error {
  abstract readonly kind: ErrorKind;
}

export type ErrorKind =
  | 'Validation'
  | 'Serialization'
  | 'NotFound'
  | 'Conflict'
  | 'InUse'
  | 'LimitExceeded'
  | 'Throttled'
  | 'Authentication'
  | 'UnknownOperation'
  | 'PayloadTooLarge'
  | 'Unavailable';

/** A request member breaks a documented constraint (pattern, length, range, required, rule). */
export class ValidationError extends TandemError {
  readonly kind = 'Validation' as const;
}

/** The body is not JSON, or a member has the wrong JSON type. */
export class SerializationError extends TandemError {
  readonly kind = 'Serialization' as const;
}

/** The named resource does not exist in the caller's account. */
export class NotFoundError extends TandemError {
  readonly kind = 'NotFound' as const;
}

/** The request contradicts the resource's current state (same loop name, different input). */
export class ConflictError extends TandemError {
  readonly kind = 'Conflict' as const;
}

/** The name is taken, or the resource is still referenced and cannot be removed. */
export class InUseError extends TandemError {
  readonly kind = 'InUse' as const;
}

/** An account quota is exhausted (25 work teams, for example). */
export class LimitExceededError extends TandemError {
  readonly kind = 'LimitExceeded' as const;
}

export class ThrottledError extends TandemError {
  readonly kind = 'Throttled' as const;
}

/** The target names no operation Tandem implements. */
export class UnknownOperationError extends TandemError {
  readonly kind = 'UnknownOperation' as const;
}

export class PayloadTooLargeError extends TandemError {
  readonly kind = 'PayloadTooLarge' as const;
}

/**
 * A Textract or Rekognition client error under the service's own code
 * (`InvalidParameterException`, `DocumentTooLargeException`, `ImageTooLargeException`…), so the
 * service's SDK client throws its modeled exception; a 400 like any validation failure.
 */
export class AiServiceError extends TandemError {
  readonly kind = 'Validation' as const;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** An upstream service Tandem forwards to could not be reached or did not answer in time: retry. */
export class UpstreamUnavailableError extends TandemError {
  readonly kind = 'Unavailable' as const;
}

/**
 * The four ways AWS rejects a request's credentials; `code` is the error type AWS sends
 * for each, which the SDKs surface as the exception's name.
 */
export type AuthenticationFailure =
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException';

export class AuthenticationError extends TandemError {
  readonly kind = 'Authentication' as const;
  constructor(
    readonly code: AuthenticationFailure,
    message: string,
  ) {
    super(message);
  }
}

export function isTandemError(error: unknown): error is TandemError {
  return error instanceof TandemError;
}
