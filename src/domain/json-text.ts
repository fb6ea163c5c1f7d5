/**
 * Checks of JSON text before it is parsed.
 *
 * Depth: a bound on how deeply JSON text nests arrays and objects. V8's JSON.parse is iterative and
 * accepts any depth, but JSON.stringify, structured clone, Liquid rendering and every recursive
 * walk of the parsed value overflow the stack near 10,000 levels (a RangeError, so a 500). AWS
 * documents no depth limit; no A2I input or answer needs more than a handful of levels, so every
 * JSON body and every JSON document carried in a string member is refused above
 * {@link MAX_JSON_DEPTH} before it is parsed.
 */

/** Deepest nesting accepted: `{"a":[1]}` nests 2 levels; a scalar nests 0. */
export const MAX_JSON_DEPTH = 100;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether `text` nests arrays and objects more than `max` levels deep, counting only brackets
 * outside string literals. One pass, no recursion and no allocation, stopping at the first level
 * past `max`, so it is safe on hostile input of any size. It does not validate the JSON: text
 * that is not JSON gets whatever answer its brackets give, and JSON.parse rejects it after.
 *
 * @example
 * exceedsJsonDepth('{"a":[[1]]}', 2); // true: 3 levels
 * exceedsJsonDepth('"[[[["', 2);       // false: brackets inside a string do not nest
 */
export function exceedsJsonDepth(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** The sentence every refusal uses, naming the limit. */
export function jsonTooDeepMessage(what: string, max: number = MAX_JSON_DEPTH): string {
  return `${what} nests arrays and objects more than ${max} levels deep.`;
}

const LOWER_U = 0x75;

/**
 * Whether parsing `text` yields a string holding U+0000: a `\u0000` escape inside a string
 * literal of this document (not of a JSON document nested in a string, whose escape arrives as
 * `\\u0000`). PostgreSQL's text type cannot store that character (the insert fails), so such
 * values are refused at the edge on both stores alike. One pass, no recursion.
 */
export function jsonTextDecodesNul(text: string): boolean {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) {
        if (text.charCodeAt(i + 1) === LOWER_U && text.startsWith('0000', i + 2)) return true;
        i++;
      } else if (c === QUOTE) {
        inString = false;
      }
    } else if (c === QUOTE) {
      inString = true;
    }
  }
  return false;
}

export const NUL_MESSAGE = 'Text must not contain the NUL character (U+0000).';
