/**
 * The filters A2I adds to Liquid, and the HTML escaping they share with autoescape.
 *
 * Source for the behaviour: AWS SageMaker Developer Guide, "Create custom worker task templates"
 * (a2i-custom-templates, section "Use Variable Filters") and its Ground Truth twin
 * (sms-custom-templates-step2-automate); summarised in /work/shared/spec/a2i-wire.md §5.3.
 */
import type { Context, FilterImplOptions } from 'liquidjs';
import { toValue } from 'liquidjs';
import { ReadAccessDeniedError } from './read-access-denied.js';

/** liquidjs's filter types (its root module exports only their union). */
type FilterHandler = Extract<FilterImplOptions, (...args: never[]) => unknown>;
type FilterImpl = ThisParameterType<FilterHandler>;
type FilterOptions = Exclude<FilterImplOptions, FilterHandler>;

/**
 * The grant_read_access callback of the render in progress. The engine is shared by every render,
 * so the callback travels in a context register (invisible to templates), not in a closure.
 */
export const GRANT_READ_ACCESS_REGISTER = 'tandem:grantReadAccess';

type MemoryLimit = Context['memoryLimit'];

/**
 * Ruby's `CGI.escapeHTML`, which Shopify Liquid's `escape` uses: the AWS doc example output
 * (`Have you read &#39;James &amp; the Giant Peach&#39;?`) matches it. `"` becomes `&quot;`
 * (liquidjs would write `&#34;`; browsers read both the same).
 */
const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * Shopify Liquid's `escape_once`: like {@link escapeHtml}, but an `&` that already starts a
 * character reference (`&amp;`, `&#39;`, `&#x27;`, `&nbsp;`) is left alone.
 */
export function escapeHtmlOnce(text: string): string {
  return text.replace(/[<>"']|&(?!(?:[a-zA-Z][a-zA-Z0-9]*|#\d+|#[xX][0-9a-fA-F]+);)/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * How a value becomes output text. Strings, numbers and booleans as in Liquid; nil as ''.
 * Objects and arrays become JSON: AWS's built-in templates write
 * `initial-value="{{ task.input.selectedAiServiceResponse.blocks }}"` and expect the element to
 * receive JSON (spec §5.2, inferred), so `{{ obj }}` is JSON, HTML-escaped like any output.
 */
export function toOutputText(value: unknown, memoryLimit?: MemoryLimit): string {
  const plain: unknown = toValue(value);
  let text: string;
  if (plain === null || plain === undefined) text = '';
  else if (typeof plain === 'string') text = plain;
  else if (typeof plain === 'object') text = serializeJson(plain) ?? String(plain);
  else text = String(plain);
  memoryLimit?.use(text.length);
  return text;
}

/** JSON.stringify that returns undefined instead of throwing (cycles in liquidjs drops, BigInt). */
function serializeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/**
 * Characters replaced inside `to_json` output by their `\uXXXX` escapes. The JSON value is
 * unchanged (JSON.parse gives the same data back) but the text can no longer close a `<script>`
 * element (`</script>`), start a comment or a character reference, or end a single-quoted
 * attribute. Same idea as Go's encoding/json HTML-safe mode and Rails' escaped JSON.
 */
const JSON_HTML_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  "'": '\\u0027',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

export function toHtmlSafeJson(value: unknown): string {
  const json = serializeJson(toValue(value) ?? null) ?? 'null';
  return json.replace(/[<>&'\u2028\u2029]/g, (c) => JSON_HTML_ESCAPES[c]!);
}

/**
 * Autoescape: liquidjs appends this to every `{{ }}` whose filters don't already escape or opt
 * out (see `raw` below and the exemption pass in liquid-engine.ts).
 */
export function autoescape(this: FilterImpl, value: unknown): string {
  return escapeHtml(toOutputText(value, this.context.memoryLimit));
}

/** Path-style (`s3.amazonaws.com/bucket/key`, `s3.<region>…`, `s3-<region>…`) S3 URLs. */
const S3_PATH_STYLE = /^https?:\/\/s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?(?::\d+)?\/([^/?#]+)\/([^?#]+)/i;
/** Virtual-hosted-style (`bucket.s3.amazonaws.com/key`) S3 URLs. */
const S3_VIRTUAL_HOSTED = /^https?:\/\/([^/?#]+?)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?(?::\d+)?\/([^?#]+)/i;
/** Any URL on an S3 host, with or without a key. */
const S3_HOST = /^https?:\/\/(?:[^/?#]+\.)?s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?(?::\d+)?(?:[/?#]|$)/i;

/** What grant_read_access does with a value, decided without calling anything. */
function classifyReadAccessTarget(value: unknown): 's3' | 'url' | 'invalid' {
  if (typeof value !== 'string') return 'invalid';
  const uri = value.trim();
  if (/^s3:\/\/[^/]+\/.+/i.test(uri)) return 's3';
  if (S3_PATH_STYLE.test(uri) || S3_VIRTUAL_HOSTED.test(uri)) return 's3';
  if (S3_HOST.test(uri)) return 'invalid'; // an S3 host but no object key: nothing to grant
  if (/^https?:\/\/[^/?#\s]+/i.test(uri)) return 'url';
  return 'invalid';
}

type GrantReadAccess = (s3Uri: string) => string;

/**
 * `grant_read_access`: an S3 URI (`s3://bucket/key` or an S3 https URL) becomes a URL the
 * worker's browser can fetch, through the render's `grantReadAccess`; any other http(s) URL is
 * left untouched; anything else (empty, not a string, `javascript:`…) becomes ''. A callback that
 * rejects the URI (e.g. a malformed `%` escape in the key) also gives '', except for
 * {@link ReadAccessDeniedError} (another account's object), which fails the render.
 * The result is autoescaped like any output, so `&` in a presigned query becomes `&amp;`.
 */
function grantReadAccess(this: FilterImpl, value: unknown): string {
  const plain: unknown = toValue(value);
  const kind = classifyReadAccessTarget(plain);
  if (kind === 'invalid') return '';
  const uri = (plain as string).trim();
  if (kind === 'url') return uri;
  const grant = this.context.getRegister<GrantReadAccess | undefined>(GRANT_READ_ACCESS_REGISTER);
  if (!grant) return '';
  try {
    const url = grant(uri);
    return typeof url === 'string' ? url : '';
  } catch (error) {
    if (error instanceof ReadAccessDeniedError) throw error;
    return '';
  }
}

/**
 * The A2I filters. `raw: true` tells liquidjs not to autoescape the output when the filter ends
 * the chain; liquid-engine.ts extends that to anywhere in the chain.
 *
 * `to_json` is NOT autoescaped. Sources: the A2I guide's filter example prints
 * `to_json: { "point_number": 8, "coords": [ 59, 76 ] }` — plain double quotes, where an
 * escaped output would show `&quot;` as its other lines show `&#39;` and `&amp;` — and the
 * Ground Truth guide writes `categories='{{ task.input.labels | to_json }}'`; raw JSON is also
 * the only form usable inside `<script>`, where character references are not decoded. To keep
 * hostile input from breaking out of a `<script>` or a single-quoted attribute, `<`, `>`, `&`
 * and `'` are written as JSON `\u` escapes (see {@link toHtmlSafeJson}). Raw JSON still cannot
 * sit inside a double-quoted attribute: templates write `'{{ x | to_json }}'` as AWS's do, or
 * `"{{ x | to_json | escape }}"`.
 */
export const a2iFilters: Record<string, FilterOptions> = {
  escape: {
    handler(this: FilterImpl, value: unknown) {
      return escapeHtml(toOutputText(value, this.context.memoryLimit));
    },
    raw: true,
  },
  escape_once: {
    handler(this: FilterImpl, value: unknown) {
      return escapeHtmlOnce(toOutputText(value, this.context.memoryLimit));
    },
    raw: true,
  },
  skip_autoescape: {
    handler(this: FilterImpl, value: unknown) {
      return toOutputText(value, this.context.memoryLimit);
    },
    raw: true,
  },
  to_json: {
    handler(this: FilterImpl, value: unknown) {
      const json = toHtmlSafeJson(value);
      this.context.memoryLimit.use(json.length);
      return json;
    },
    raw: true,
  },
  grant_read_access: { handler: grantReadAccess, raw: false },
};
