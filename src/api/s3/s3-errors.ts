/**
 * S3's error catalogue, as far as Tandem's S3 API answers it: each code with the status S3 sends
 * for it (from S3's "Error responses" reference). Operations throw {@link S3Error}; the S3 route
 * turns it into S3's XML in one place (s3-api.ts), and the SDKs pick their exception from `Code`.
 */
export const S3_ERRORS = {
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  BadDigest: 400,
  BucketAlreadyExists: 409,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidDigest: 400,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  InvalidRange: 416,
  InvalidRequest: 400,
  KeyTooLongError: 400,
  /** Not an S3 code: the embedded store keeps keys as files, so `a` and `a/b` cannot both exist. */
  KeyPathConflict: 409,
  MalformedXML: 400,
  MethodNotAllowed: 405,
  MissingContentLength: 411,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NoSuchUpload: 404,
  NotImplemented: 501,
  PreconditionFailed: 412,
  RequestTimeTooSkewed: 403,
  ServiceUnavailable: 503,
  SignatureDoesNotMatch: 403,
  XAmzContentSHA256Mismatch: 400,
} as const;

export type S3ErrorCode = keyof typeof S3_ERRORS;

export class S3Error extends Error {
  readonly status: number;
  constructor(
    readonly code: S3ErrorCode,
    message: string,
    /** Extra elements S3 adds to some errors (`Key`, `BucketName`…), shown after `Message`. */
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'S3Error';
    this.status = S3_ERRORS[code];
  }
}

export function isS3Error(error: unknown): error is S3Error {
  return error instanceof S3Error;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"\p{Cc}]/gu, (c) => {
    switch (c) {
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '&':
        return '&amp;';
      case "'":
        return '&apos;';
      case '"':
        return '&quot;';
      default:
        // XML 1.0 cannot carry most control characters even escaped; S3 clients expect text.
        return c === '\t' || c === '\n' || c === '\r' ? `&#${c.charCodeAt(0)};` : '';
    }
  });
}

/** `<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId></Error>` */
export function errorXml(error: S3Error, requestId: string): string {
  const details = Object.entries(error.details)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message>${details}` +
    `<RequestId>${escapeXml(requestId)}</RequestId></Error>`
  );
}
