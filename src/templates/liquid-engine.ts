/**
 * A2I's Liquid dialect on liquidjs: autoescaped output, A2I's filters, no file access, and
 * bounded parse size, render time, memory and output size, so a hostile template or task input
 * costs at most a couple of seconds of one thread.
 *
 * One engine, {@link renderEngine}, built once: unknown filters are errors at parse time (a
 * template using one is refused, see template-check.ts). Parsed templates are reusable across
 * renders.
 */
import {
  CaptureTag,
  Context,
  EchoTag,
  Filter,
  Liquid,
  Output,
  Tag,
  toValueSync,
  type Emitter,
  type FilterImplOptions,
  type Liquid as LiquidEngine,
  type Template,
  type TagToken,
  type TopLevelToken,
} from 'liquidjs';
import { a2iFilters, autoescape, GRANT_READ_ACCESS_REGISTER, toOutputText } from './a2i-filters.js';

export const TEMPLATE_LIMITS = {
  /** Longest template accepted, in characters (liquidjs `parseLimit`). */
  templateChars: 1024 * 1024,
  /** Wall-clock budget of one render, in ms (liquidjs `renderLimit`, checked between nodes). */
  renderMilliseconds: 2000,
  /**
   * liquidjs `memoryLimit`: characters and array items allocated by filters, ranges, captures and
   * autoescape over one render, cumulative. 2e7 is several times what a maximal (3 MiB) task
   * input costs to print, while a range (charged before it is built, 8 bytes an item) stays
   * under ~160 MB and a doubled string under ~10 M characters.
   */
  memoryUnits: 20_000_000,
  /** Largest rendered page, in UTF-8 bytes. */
  outputBytes: 5 * 1024 * 1024,
} as const;

/** Thrown when the rendered page grows past {@link TEMPLATE_LIMITS.outputBytes}. */
export class OutputLimitExceededError extends Error {
  constructor(readonly limitBytes: number) {
    super(`rendered output exceeds ${limitBytes} bytes`);
    this.name = 'OutputLimitExceededError';
  }
}

/**
 * `include`, `render` and `layout` load other templates by name. A worker task template is one
 * self-contained document in A2I, so these tags fail at parse time instead of touching the disk.
 */
class FileTagNotSupported extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: LiquidEngine) {
    super(token, remainTokens, liquid);
    throw new Error(`tag "${token.name}" is not supported: a worker task template cannot load other files`);
  }
  render(): void {}
}

/** Writes the page; refuses to grow past the output limit. */
class BoundedEmitter implements Emitter {
  buffer = '';
  private bytes = 0;

  constructor(private readonly limitBytes: number) {}

  write(html: unknown): void {
    const text = toOutputText(html);
    this.bytes += Buffer.byteLength(text);
    if (this.bytes > this.limitBytes) throw new OutputLimitExceededError(this.limitBytes);
    this.buffer += text;
  }
}

/** Collects a capture, charging what it writes to the render's memory limit. */
class MemoryChargedEmitter implements Emitter {
  buffer = '';

  constructor(private readonly memoryLimit: Context['memoryLimit']) {}

  write(html: unknown): void {
    const text = toOutputText(html);
    this.memoryLimit.use(text.length);
    this.buffer += text;
  }
}

/**
 * liquidjs's `capture`, except that captured text counts against the memory limit: stock
 * capture buffers freely, so `{% capture x %}{{ x }}{{ x }}{% endcapture %}` in a loop would
 * double a string until the process runs out of memory.
 */
class BoundedCaptureTag extends CaptureTag {
  override *render(ctx: Context): Generator<unknown, void, string> {
    const emitter = new MemoryChargedEmitter(ctx.memoryLimit);
    yield this.liquid.renderer.renderTemplates(this.templates, ctx, emitter);
    (ctx.bottom() as Record<string, unknown>)[this.variable] = emitter.buffer;
  }
}

function createEngine(): Liquid {
  const engine = new Liquid({
    strictFilters: true,
    strictVariables: false, // an undefined variable renders as '' (lenient, as AWS)
    ownPropertyOnly: true, // no `{{ x.constructor }}` style prototype access
    outputEscape: autoescape,
    parseLimit: TEMPLATE_LIMITS.templateChars,
    renderLimit: TEMPLATE_LIMITS.renderMilliseconds,
    memoryLimit: TEMPLATE_LIMITS.memoryUnits,
    templates: {}, // in-memory, empty: no file system behind the (already disabled) file tags
    timezoneOffset: 0, // `date` renders in UTC whatever the host's zone
    locale: 'en-US',
  });
  for (const name of ['include', 'render', 'layout']) engine.registerTag(name, FileTagNotSupported);
  engine.registerTag('capture', BoundedCaptureTag);
  for (const [name, filter] of Object.entries(a2iFilters)) engine.registerFilter(name, filter);
  return engine;
}

export const renderEngine = createEngine();

/** Parses a template; throws liquidjs errors. The result may be rendered any number of times. */
export function parseTemplate(engine: Liquid, template: string): Template[] {
  const templates = engine.parse(template);
  exemptExplicitlyEscapedOutputs(engine, templates);
  return templates;
}

/** Renders parsed templates with `task.input`; throws liquidjs errors and limit errors. */
export function renderTemplate(
  templates: Template[],
  taskInput: unknown,
  grantReadAccess: (s3Uri: string) => string,
): string {
  const scope = { task: { input: taskInput } };
  const ctx = new Context(scope, renderEngine.options, { sync: true }, { liquid: renderEngine });
  ctx.setRegister(GRANT_READ_ACCESS_REGISTER, grantReadAccess);
  const emitter = new BoundedEmitter(TEMPLATE_LIMITS.outputBytes);
  toValueSync(renderEngine.renderer.renderTemplates(templates, ctx, emitter));
  return emitter.buffer;
}

/** What liquidjs keeps private but this module needs: a filter's handler, an echo's value. */
interface FilterInternals {
  handler: unknown;
}
interface EchoInternals {
  value?: { filters: Filter[] };
}

/**
 * liquidjs skips autoescape only when the *last* filter is raw. A2I says `skip_autoescape`
 * "disables autoescape for that output", and the Liquid autoescape extension (the
 * liquid-autoescape gem) exempts an output whose chain contains an escaping or skip filter
 * anywhere: `{{ text | escape | newline_to_br }}` must not be escaped twice and
 * `{{ html | skip_autoescape | strip }}` must stay HTML. This pass applies that rule to `{{ }}`
 * and `{% echo %}` after parsing. (`{% cycle %}` builds its values while rendering and keeps
 * liquidjs's last-filter rule.)
 */
function exemptExplicitlyEscapedOutputs(engine: Liquid, templates: Template[]): void {
  for (const template of templates) {
    if (template instanceof Output) {
      const filters = template.value.filters;
      const last = filters[filters.length - 1];
      const appendedAutoescape = last !== undefined && (last as unknown as FilterInternals).handler === autoescape;
      if (appendedAutoescape && filters.slice(0, -1).some((filter) => filter.raw)) filters.pop();
    } else if (template instanceof EchoTag) {
      const filters = (template as unknown as EchoInternals).value?.filters ?? [];
      const exempting = filters.find((filter) => filter.raw);
      if (exempting && !filters[filters.length - 1]?.raw) {
        filters.push(new Filter(exempting['token'], passThroughRaw, engine));
      }
    }
    const children = (template as Template).children?.(false, true);
    if (children) exemptExplicitlyEscapedOutputs(engine, toValueSync(children) as Template[]);
  }
}

const passThroughRaw: FilterImplOptions = { handler: (value: unknown) => value, raw: true };
