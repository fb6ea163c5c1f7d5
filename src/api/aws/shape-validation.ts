/**
 * Declarative request validation that answers the way AWS's request validator (Coral) does.
 *
 * Shapes mirror the Smithy/botocore model: `string`, `integer`, `double`, `boolean`, `timestamp`,
 * `document`, `list`, `map` and `structure`, each carrying the model's constraints.
 * `validateInput(shape, value)` walks a decoded request and either returns a typed copy (unknown
 * members dropped, timestamps turned into `Date`s) or throws:
 *
 * - `SerializationError` on the first member whose JSON type is wrong, with Coral's wording plus
 *   the member path: `STRING_VALUE can not be converted to an Integer at 'humanLoopConfig.taskCount'`,
 *   `Start of structure or map found where not expected at 'roleArn'.`
 * - `ValidationError` listing every constraint violation, in model member order, as AWS does:
 *   `2 validation errors detected: Value 'BAD!' at 'humanLoopName' failed to satisfy constraint:
 *   Member must satisfy regular expression pattern: ^[a-z0-9](-*[a-z0-9])*$; Value null at
 *   'flowDefinitionArn' failed to satisfy constraint: Member must not be null`.
 *
 * Paths are member names with the first letter lowered, joined by `.`; a list element is
 * `<list>.<1-based index>.member` (`tags.2.member.key`, `humanLoopConfig.taskKeywords.1.member`)
 * and a map value is `<map>.<key>`. Values print as AWS prints them: strings and numbers quoted
 * (`Value '0'`), absent members as `Value null`, lists as `'[a, b]'`, structures as `'{Key=a}'`;
 * text longer than 256 characters is cut to 256 followed by `...`. A JSON `null` counts as absent,
 * and members the shape does not declare are ignored, both as AWS does.
 *
 * `exactlyOneOf` on a structure (A2I's "do not provide both" unions) is reported alongside the
 * other violations: `Value at 'memberDefinitions.1.member' failed to satisfy constraint: Exactly
 * one of [cognitoMemberDefinition, oidcMemberDefinition] must be set` (on the request itself:
 * `Input failed to satisfy constraint: ...`). That wording is Tandem's; AWS's is not documented.
 *
 * @example
 * const Name = string({ min: 1, max: 63, pattern: '^[a-z0-9](-*[a-z0-9])*$' });
 * const Stop = structure({ HumanLoopName: Name }, { required: ['HumanLoopName'] });
 * const input = validateInput(Stop, JSON.parse(body)); // { HumanLoopName: string }
 */
import { SerializationError, ValidationError } from './errors.js';

/** A model pattern: `text` as AWS prints it, `regex` matching the whole value (Java `matches()`). */
export interface Pattern {
  readonly text: string;
  readonly regex: RegExp;
}
interface Bounds { readonly min?: number; readonly max?: number }
export interface StringShape<E extends string = string> extends Bounds {
  readonly kind: 'string';
  readonly pattern?: Pattern;
  readonly enum?: readonly E[];
}
export interface IntegerShape extends Bounds { readonly kind: 'integer' }
export interface DoubleShape extends Bounds { readonly kind: 'double' }
export interface BooleanShape { readonly kind: 'boolean' }
export interface DocumentShape { readonly kind: 'document' }
/** awsJson1_1 sends epoch seconds as a JSON number; restJson1 sends RFC 3339 strings. */
export type TimestampFormat = 'epoch-seconds' | 'date-time';
export interface TimestampShape {
  readonly kind: 'timestamp';
  readonly format: TimestampFormat;
}
export interface ListShape<M extends Shape = Shape> extends Bounds {
  readonly kind: 'list';
  readonly member: M;
}
export interface MapShape<V extends Shape = Shape> extends Bounds {
  readonly kind: 'map';
  readonly key?: StringShape;
  readonly value: V;
}
export type Members = { readonly [name: string]: Shape };
export interface StructureShape<M extends Members = Members, R extends keyof M = keyof M> {
  readonly kind: 'structure';
  readonly members: M;
  readonly required: readonly R[];
  readonly exactlyOneOf?: readonly (keyof M & string)[];
}
export type Shape =
  | StringShape
  | IntegerShape
  | DoubleShape
  | BooleanShape
  | TimestampShape
  | DocumentShape
  | ListShape
  | MapShape
  | StructureShape;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

type Flatten<T> = { [K in keyof T]: T[K] } & {};
/** The TypeScript type `validateInput` returns for a shape. */
export type Infer<S> = S extends StringShape<infer E>
  ? E
  : S extends IntegerShape | DoubleShape
    ? number
    : S extends BooleanShape
      ? boolean
      : S extends TimestampShape
        ? Date
        : S extends DocumentShape
          ? JsonValue
          : S extends ListShape<infer M>
            ? Infer<M>[]
            : S extends MapShape<infer V>
              ? Record<string, Infer<V>>
              : S extends StructureShape<infer M, infer R>
                ? Flatten<
                    { -readonly [K in R & keyof M]: Infer<M[K]> } & {
                      -readonly [K in Exclude<keyof M, R>]?: Infer<M[K]>;
                    }
                  >
                : never;

/** Builds a pattern from its model text; the value must match as a whole. */
export function pattern(text: string): Pattern {
  return { text, regex: new RegExp(`^(?:${text})$`, 'u') };
}
export function string<const E extends string = string>(
  c: Bounds & { pattern?: string; enum?: readonly E[] } = {},
): StringShape<E> {
  const { pattern: text, ...rest } = c;
  return { kind: 'string', ...rest, ...(text === undefined ? {} : { pattern: pattern(text) }) };
}
/** A string limited to `values` (a Smithy enum); `Infer` gives their union. */
export const enumeration = <const E extends string>(values: readonly E[]): StringShape<E> => string({ enum: values });
export const integer = (c: Bounds = {}): IntegerShape => ({ kind: 'integer', ...c });
export const double = (c: Bounds = {}): DoubleShape => ({ kind: 'double', ...c });
export const boolean = (): BooleanShape => ({ kind: 'boolean' });
export const timestamp = (format: TimestampFormat): TimestampShape => ({ kind: 'timestamp', format });
export const document = (): DocumentShape => ({ kind: 'document' });
export const list = <M extends Shape>(member: M, c: Bounds = {}): ListShape<M> => ({ kind: 'list', member, ...c });
export const map = <V extends Shape>(value: V, c: Bounds & { key?: StringShape } = {}): MapShape<V> => ({
  kind: 'map',
  value,
  ...c,
});
export function structure<M extends Members, const R extends keyof M & string = never>(
  members: M,
  rules: { required?: readonly R[]; exactlyOneOf?: readonly (keyof M & string)[] } = {},
): StructureShape<M, R> {
  const { required = [], exactlyOneOf } = rules;
  return { kind: 'structure', members, required, ...(exactlyOneOf ? { exactlyOneOf } : {}) };
}

export interface ValidateOptions {
  /**
   * `'query'`: scalars arrive as strings (URI labels, query strings) and integers, doubles and
   * booleans are parsed from them. Default `'json'`: JSON types must match the shape.
   */
  readonly source?: 'json' | 'query';
}

/**
 * Validates `value` against `shape`; returns a typed copy or throws `SerializationError` /
 * `ValidationError` (see the module comment for the exact wording).
 */
export function validateInput<S extends Shape>(shape: S, value: unknown, options: ValidateOptions = {}): Infer<S> {
  const ctx: Context = { errors: [], query: options.source === 'query' };
  const out = walk(shape, shape.kind === 'structure' && value == null ? {} : value, '', ctx);
  const n = ctx.errors.length;
  if (n > 0) {
    throw new ValidationError(`${n} validation error${n === 1 ? '' : 's'} detected: ${ctx.errors.join('; ')}`);
  }
  return out as Infer<S>;
}

/**
 * Parses an RFC 3339 date-time (any number of fractional digits, `Z` or `±hh:mm`) or a bare
 * `YYYY-MM-DD` (midnight UTC, the form A2I's docs show). Returns undefined when it is neither.
 */
export function parseDateTime(text: string): Date | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?([Zz]|([+-])(\d\d):(\d\d)))?$/.exec(text);
  if (!m) return undefined;
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, oh = 0, om = 0] = [1, 2, 3, 4, 5, 6, 10, 11].map((i) => Number(m[i] ?? 0));
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59 || oh > 23 || om > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCDate() !== d) return undefined; // 2021-02-30
  const offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  date.setUTCHours(h, mi - offsetMinutes, s, Number(`${m[7] ?? ''}000`.slice(0, 3)));
  return date;
}

interface Context {
  readonly errors: string[];
  readonly query: boolean;
}

const MAX_PRINTED = 256;
const at = (path: string) => (path ? ` at '${path}'` : '');
const join = (path: string, name: string) => (path ? `${path}.${name}` : name);
const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
const article = (type: string) => (/^[AEIOU]/.test(type) ? `an ${type}` : `a ${type}`);

function show(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${show(v)}`).join(', ')}}`;
  }
  return String(value);
}
function printed(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  const text = show(value);
  return `'${text.length > MAX_PRINTED ? `${text.slice(0, MAX_PRINTED)}...` : text}'`;
}
function violation(ctx: Context, value: unknown, path: string, constraint: string): void {
  ctx.errors.push(`Value ${printed(value)} at '${path}' failed to satisfy constraint: ${constraint}`);
}

/** Coral's wording for a JSON value whose type does not fit the shape. */
function wrongType(value: unknown, type: string, path: string): SerializationError {
  if (Array.isArray(value)) return new SerializationError(`Start of list found where not expected${at(path)}.`);
  if (typeof value === 'object') {
    return new SerializationError(`Start of structure or map found where not expected${at(path)}.`);
  }
  const token = typeof value === 'string' ? 'STRING_VALUE' : typeof value === 'number' ? 'NUMBER_VALUE' : 'BOOLEAN_VALUE';
  return new SerializationError(`${token} can not be converted to ${article(type)}${at(path)}`);
}

function checkBounds(ctx: Context, value: unknown, size: number, b: Bounds, path: string, what: 'length' | 'value') {
  if (b.min !== undefined && size < b.min) violation(ctx, value, path, `Member must have ${what} greater than or equal to ${b.min}`);
  if (b.max !== undefined && size > b.max) violation(ctx, value, path, `Member must have ${what} less than or equal to ${b.max}`);
}

function number(value: unknown, type: 'Integer' | 'Double', path: string, ctx: Context): number {
  let n = value;
  if (ctx.query && typeof value === 'string') {
    const ok = type === 'Integer' ? /^[+-]?\d+$/.test(value) : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value);
    n = ok ? Number(value) : NaN;
  }
  if (typeof n !== 'number' || !Number.isFinite(n)) throw wrongType(value, type, path);
  if (type === 'Integer' && (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 31)) throw wrongType(value, type, path);
  return n;
}

function walk(shape: Shape, value: unknown, path: string, ctx: Context): unknown {
  switch (shape.kind) {
    case 'string': {
      if (typeof value !== 'string') throw wrongType(value, 'String', path);
      checkBounds(ctx, value, value.length, shape, path, 'length');
      if (shape.pattern && !shape.pattern.regex.test(value)) {
        violation(ctx, value, path, `Member must satisfy regular expression pattern: ${shape.pattern.text}`);
      }
      if (shape.enum && !shape.enum.includes(value)) {
        violation(ctx, value, path, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      }
      return value;
    }
    case 'integer':
    case 'double': {
      const n = number(value, shape.kind === 'integer' ? 'Integer' : 'Double', path, ctx);
      checkBounds(ctx, n, n, shape, path, 'value');
      return n;
    }
    case 'boolean': {
      if (ctx.query && (value === 'true' || value === 'false')) return value === 'true';
      if (typeof value !== 'boolean') throw wrongType(value, 'Boolean', path);
      return value;
    }
    case 'timestamp': {
      const date =
        shape.format === 'epoch-seconds' && !ctx.query
          ? typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000) : undefined
          : typeof value === 'string' ? parseDateTime(value) : undefined;
      if (!date || Number.isNaN(date.getTime())) throw wrongType(value, 'Timestamp', path);
      return date;
    }
    case 'document':
      return value;
    case 'list': {
      if (!Array.isArray(value)) throw wrongType(value, 'List', path);
      checkBounds(ctx, value, value.length, shape, path, 'length');
      return value.map((item: unknown, i) => {
        const itemPath = `${join(path, String(i + 1))}.member`;
        if (item !== null && item !== undefined) return walk(shape.member, item, itemPath, ctx);
        violation(ctx, null, itemPath, 'Member must not be null');
        return null;
      });
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw wrongType(value, 'Map', path);
      const entries = Object.entries(value);
      checkBounds(ctx, value, entries.length, shape, path, 'length');
      const out: Record<string, unknown> = {};
      for (const [key, item] of entries) {
        const itemPath = join(path, key);
        if (shape.key) walk(shape.key, key, itemPath, ctx);
        if (item === null || item === undefined) violation(ctx, null, itemPath, 'Member must not be null');
        else Object.defineProperty(out, key, { value: walk(shape.value, item, itemPath, ctx), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw wrongType(value, 'Structure', path);
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        const memberPath = join(path, lowerFirst(name));
        const item = Object.hasOwn(record, name) ? record[name] : undefined;
        if (item === null || item === undefined) {
          if (shape.required.includes(name)) violation(ctx, null, memberPath, 'Member must not be null');
        } else {
          out[name] = walk(member, item, memberPath, ctx);
        }
      }
      const oneOf = shape.exactlyOneOf;
      if (oneOf && oneOf.filter((name) => out[name] !== undefined).length !== 1) {
        const subject = path ? `Value at '${path}'` : 'Input';
        ctx.errors.push(
          `${subject} failed to satisfy constraint: Exactly one of [${oneOf.map(lowerFirst).join(', ')}] must be set`,
        );
      }
      return out;
    }
  }
}
