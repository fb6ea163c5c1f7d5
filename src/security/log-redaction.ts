/**
 * Query parameters that are credentials: a signed link's or a presigned URL's signature (the
 * link IS the credential until it expires) and session tokens. Access logs keep the parameter
 * but never its value.
 */
const SECRET_QUERY_PARAMETERS = /([?&](?:X-Tandem-Signature|X-Amz-Signature|X-Amz-Security-Token)=)[^&#]*/gi;

/** `url` with the values of credential query parameters replaced by `[REDACTED]`. */
export function redactUrl(url: string): string {
  return url.includes('?') ? url.replace(SECRET_QUERY_PARAMETERS, '$1[REDACTED]') : url;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

/**
 * pino's `req` serializer: what Fastify logs for each request, with the URL redacted. Fastify
 * applies its own serializer only to loggers it creates, so Tandem's logger brings this one.
 */
export function serializeRequest(request: LoggedRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url ?? ''),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
