/**
 * Response headers of the portal. Portal pages run only Tandem's own script and cannot be
 * framed; the task frame (a worker template) is sandboxed by its own CSP, may be framed only by
 * the portal, and can reach nothing: no network (`connect-src 'none'`), no form submission, no
 * cookies (its origin is opaque, since `sandbox` lacks `allow-same-origin`).
 */

/** CSP of every portal page (sign-in, invite, task page). */
export const PORTAL_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** CSP of the task frame: what a worker template may do. */
export const TASK_FRAME_CSP = [
  'sandbox allow-scripts allow-forms',
  "default-src 'none'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "media-src 'self' https:",
  "font-src 'self' data:",
  "connect-src 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** Headers for a portal HTML page. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': PORTAL_PAGE_CSP,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/** Headers for the task frame (no X-Frame-Options: the portal frames it; `frame-ancestors` decides). */
export const FRAME_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': TASK_FRAME_CSP,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

/** Headers for the portal's JSON API. */
export const API_HEADERS: Readonly<Record<string, string>> = {
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};
