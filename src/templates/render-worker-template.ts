/**
 * Renders a worker task template (HumanTaskUi `UiTemplate.Content`) the way A2I does: Liquid
 * with `task.input`, autoescaped output and A2I's filters (see liquid-engine.ts). Used by
 * RenderUiTemplate, by the worker portal for every task, and (syntax only) by CreateHumanTaskUi.
 *
 * Template problems never throw; they come back as `RenderingError`s, whose codes are stable:
 *
 * | Code                          | When                                                          |
 * |-------------------------------|---------------------------------------------------------------|
 * | `TemplateSyntaxError`         | the template does not parse (incl. `include`/`render`/`layout`) |
 * | `TemplateTooLarge`            | the template is longer than 1 MiB characters                  |
 * | `TemplateUnknownFilter`       | a filter that does not exist                                  |
 * | `TemplateUnknownElement`      | a `<crowd-…>` tag Tandem does not define (content still rendered) |
 * | `TemplateRenderError`         | rendering failed (e.g. a filter got arguments it cannot use)  |
 * | `TemplateRenderLimitExceeded` | rendering ran past 2 s, its memory budget, or 5 MiB of output |
 * | `TemplateReadAccessDenied`    | `grant_read_access` named an object of another account's bucket |
 *
 * @example
 * ```ts
 * const { renderedContent, errors } = await renderWorkerTemplate(
 *   '<img src="{{ task.input.taskObject | grant_read_access }}">',
 *   { taskObject: 's3://bucket/cat.jpg' },
 *   { grantReadAccess: (uri) => signedLinkFor(uri) },
 * );
 * ```
 */
import { createHash } from 'node:crypto';
import type { Template } from 'liquidjs';
import { OutputLimitExceededError, parseTemplate, renderEngine, renderTemplate, TEMPLATE_LIMITS } from './liquid-engine.js';
import { ReadAccessDeniedError } from './read-access-denied.js';
import { findUnknownCrowdElements } from './unknown-elements.js';

export interface RenderingError {
  Code: string;
  Message: string;
}

export interface RenderOptions {
  /** Turns an S3 URI (s3://bucket/key, or https?://s3.amazonaws.com/bucket/key, or https://bucket.s3.amazonaws.com/key) into a URL a worker's browser can fetch. */
  grantReadAccess(s3Uri: string): string;
}

export interface RenderResult {
  renderedContent: string;
  errors: RenderingError[];
}

/**
 * Renders `template` with `task.input` = taskInput (already-parsed JSON). Never throws for
 * template problems: they come back as errors. A Liquid error leaves RenderedContent ''; unknown
 * crowd elements are reported with the content still rendered, so a preview shows the rest.
 */
export async function renderWorkerTemplate(template: string, taskInput: unknown, options: RenderOptions): Promise<RenderResult> {
  const parsed = parseCached(template);
  if ('error' in parsed) return { renderedContent: '', errors: [parsed.error] };
  try {
    const renderedContent = renderTemplate(parsed.templates, taskInput, (uri) => options.grantReadAccess(uri));
    return { renderedContent, errors: parsed.unknownElements };
  } catch (err) {
    return { renderedContent: '', errors: [toRenderingError(err, 'render', template)] };
  }
}

/**
 * Parses only (no rendering): returns syntax errors, [] when the template parses. An unknown
 * filter or tag is an error here too (`TemplateUnknownFilter`, `TemplateSyntaxError`): a template
 * using one could never be shown to a reviewer, so CreateHumanTaskUi refuses it.
 */
export function findTemplateSyntaxErrors(template: string): RenderingError[] {
  const parsed = parseCached(template);
  return 'error' in parsed ? [parsed.error] : [];
}

type ParseOutcome = { templates: Template[]; unknownElements: RenderingError[] } | { error: RenderingError };

/**
 * Parsed templates by SHA-256 of their text. The same template renders for every task of a flow
 * definition, so parsing once per process saves most of the work; failures are kept too.
 */
const PARSE_CACHE_ENTRIES = 200;
const parseCache = new Map<string, ParseOutcome>();

function parseCached(template: string): ParseOutcome {
  const tooLarge = checkSize(template);
  if (tooLarge) return { error: tooLarge };
  const key = createHash('sha256').update(template).digest('hex');
  const cached = parseCache.get(key);
  if (cached) {
    parseCache.delete(key); // re-insert: Map iteration order is the LRU order
    parseCache.set(key, cached);
    return cached;
  }
  let outcome: ParseOutcome;
  try {
    outcome = { templates: parseTemplate(renderEngine, template), unknownElements: findUnknownCrowdElements(template) };
  } catch (err) {
    outcome = { error: toRenderingError(err, 'parse', template) };
  }
  parseCache.set(key, outcome);
  if (parseCache.size > PARSE_CACHE_ENTRIES) parseCache.delete(parseCache.keys().next().value!);
  return outcome;
}

function checkSize(template: string): RenderingError | undefined {
  if (template.length <= TEMPLATE_LIMITS.templateChars) return undefined;
  return {
    Code: 'TemplateTooLarge',
    Message: `The template is ${template.length} characters long; the limit is ${TEMPLATE_LIMITS.templateChars}.`,
  };
}

/** The parts of a liquidjs error (LiquidError and its subclasses) read here. */
interface LiquidErrorShape {
  message: string;
  originalError?: unknown;
  token?: { input?: unknown; getPosition(): [number, number] };
}

const LIMIT_MESSAGES: Record<string, string> = {
  'template render limit exceeded': `Rendering took longer than ${TEMPLATE_LIMITS.renderMilliseconds} ms`,
  'memory alloc limit exceeded': 'Rendering allocated more memory than allowed',
  'parse length limit exceeded': `The template is longer than ${TEMPLATE_LIMITS.templateChars} characters`,
};

function toRenderingError(err: unknown, phase: 'parse' | 'render', template: string): RenderingError {
  const liquidError = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as LiquidErrorShape;
  const cause = rootCause(err);
  const causeMessage = withoutLiquidPosition(oneLine(cause instanceof Error ? cause.message : String(cause)));
  const at = position(liquidError, template);
  if (cause instanceof ReadAccessDeniedError) return { Code: 'TemplateReadAccessDenied', Message: `${capitalize(cause.message)}${at}` };
  if (cause instanceof OutputLimitExceededError) {
    return { Code: 'TemplateRenderLimitExceeded', Message: `The rendered page is larger than ${cause.limitBytes} bytes${at}` };
  }
  if (cause instanceof RangeError && /invalid string length/i.test(causeMessage)) {
    return { Code: 'TemplateRenderLimitExceeded', Message: `Rendering built a string longer than allowed${at}` };
  }
  const limitMessage = LIMIT_MESSAGES[causeMessage];
  if (limitMessage) {
    const code = causeMessage.startsWith('parse') ? 'TemplateTooLarge' : 'TemplateRenderLimitExceeded';
    return { Code: code, Message: `${limitMessage}${at}` };
  }
  const unknownFilter = /^undefined filter: (.*)$/.exec(causeMessage);
  if (unknownFilter) return { Code: 'TemplateUnknownFilter', Message: `Unknown filter "${unknownFilter[1]}"${at}` };
  const code = phase === 'parse' ? 'TemplateSyntaxError' : 'TemplateRenderError';
  return { Code: code, Message: `${capitalize(causeMessage)}${at}` };
}

/** liquidjs wraps the error that failed (an assertion, a filter's exception) as `originalError`. */
function rootCause(err: unknown): unknown {
  let cause = err;
  for (let depth = 0; depth < 10; depth++) {
    const inner = (cause as LiquidErrorShape | null)?.originalError;
    if (inner === undefined) break;
    cause = inner;
  }
  return cause;
}

/**
 * ` at line L, column C` of the template, when liquidjs knows it. Errors raised while parsing an
 * expression given to a filter (`where_exp`…) point into that expression, not the template, so
 * they get no position.
 */
function position(err: LiquidErrorShape, template: string): string {
  const token = err.token;
  if (!token || typeof token.getPosition !== 'function' || token.input !== template) return '';
  const [line, column] = token.getPosition();
  return ` at line ${line}, column ${column}`;
}

/** liquidjs appends `, line:1, col:2` (and `, file:…`) to some messages; the position is added separately. */
function withoutLiquidPosition(message: string): string {
  return message.replace(/(?:, file:.*?)?, line:\d+, col:\d+$/, '');
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

function capitalize(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
