import { isTandemError, type ErrorKind, type TandemError } from './errors.js';

/** The two AWS protocols Tandem answers: the A2I runtime's and SageMaker's. */
export type Protocol = 'restJson1' | 'awsJson1_1';

export interface WireError {
  status: number;
  /** Sent as `x-amzn-ErrorType` and `__type`; the SDKs pick the exception class from it. */
  type: string;
  message: string;
}

/**
 * The error catalogue, mapped to each protocol in this one table. Types and statuses come from
 * the services' Smithy models: the A2I runtime gives each error its own status (404, 409, 402…);
 * SageMaker's awsJson1_1 errors are all 400 and named without the `Exception` suffix.
 */
const CATALOGUE: Record<ErrorKind, Record<Protocol, { status: number; type: string }>> = {
  Validation: {
    restJson1: { status: 400, type: 'ValidationException' },
    awsJson1_1: { status: 400, type: 'ValidationException' },
  },
  Serialization: {
    restJson1: { status: 400, type: 'SerializationException' },
    awsJson1_1: { status: 400, type: 'SerializationException' },
  },
  NotFound: {
    restJson1: { status: 404, type: 'ResourceNotFoundException' },
    awsJson1_1: { status: 400, type: 'ResourceNotFound' },
  },
  Conflict: {
    restJson1: { status: 409, type: 'ConflictException' },
    awsJson1_1: { status: 400, type: 'ConflictException' },
  },
  InUse: {
    restJson1: { status: 409, type: 'ConflictException' },
    awsJson1_1: { status: 400, type: 'ResourceInUse' },
  },
  LimitExceeded: {
    restJson1: { status: 402, type: 'ServiceQuotaExceededException' },
    awsJson1_1: { status: 400, type: 'ResourceLimitExceeded' },
  },
  Throttled: {
    restJson1: { status: 429, type: 'ThrottlingException' },
    awsJson1_1: { status: 400, type: 'ThrottlingException' },
  },
  Authentication: {
    // The type is the specific failure (see AuthenticationError.code).
    restJson1: { status: 403, type: 'AccessDeniedException' },
    awsJson1_1: { status: 403, type: 'AccessDeniedException' },
  },
  UnknownOperation: {
    restJson1: { status: 404, type: 'UnknownOperationException' },
    awsJson1_1: { status: 400, type: 'UnknownOperationException' },
  },
  PayloadTooLarge: {
    restJson1: { status: 413, type: 'ValidationException' },
    awsJson1_1: { status: 413, type: 'ValidationException' },
  },
  // A 503 is retried by the SDKs' standard retry strategy and by botocore.
  Unavailable: {
    restJson1: { status: 503, type: 'ServiceUnavailableException' },
    awsJson1_1: { status: 503, type: 'ServiceUnavailableException' },
  },
};

const INTERNAL: Record<Protocol, { status: number; type: string }> = {
  restJson1: { status: 500, type: 'InternalServerException' },
  awsJson1_1: { status: 500, type: 'InternalFailure' },
};

/** Fastify's own client errors (body too large, bad content type…), by code. */
const FRAMEWORK_ERRORS: Record<string, { kind: ErrorKind; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { kind: 'PayloadTooLarge', message: 'Request body is larger than the maximum allowed size.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { kind: 'Serialization', message: 'Unsupported content type.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { kind: 'Serialization', message: 'Request body is empty.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { kind: 'Serialization', message: 'Content-Length does not match the body.' },
};

export function toWireError(error: unknown, protocol: Protocol): WireError & { internal: boolean } {
  if (isTandemError(error)) return { ...describe(error, protocol), internal: false };
  const code = (error as { code?: unknown } | null)?.code;
  const framework = typeof code === 'string' ? FRAMEWORK_ERRORS[code] : undefined;
  if (framework) return { ...CATALOGUE[framework.kind][protocol], message: framework.message, internal: false };
  return { ...INTERNAL[protocol], message: 'An internal error occurred. Try again later.', internal: true };
}

function describe(error: TandemError, protocol: Protocol): WireError {
  const entry = CATALOGUE[error.kind][protocol];
  const type = 'code' in error && typeof error.code === 'string' ? error.code : entry.type;
  return { status: entry.status, type, message: error.message };
}

/** Headers and body of an error response; `__type` and the header serve both SDK families. */
export function errorResponse(wire: WireError, protocol: Protocol, requestId: string) {
  return {
    status: wire.status,
    headers: {
      'content-type': protocol === 'awsJson1_1' ? 'application/x-amz-json-1.1' : 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-errortype': wire.type,
    },
    body: JSON.stringify({ __type: wire.type, Message: wire.message, message: wire.message }),
  };
}
