/**
 * A lenient reader for the JS-literal-ish attribute values templates pass to crowd elements
 * (spec "What public templates rely on" #3): `categories="['Cat', 'Dog',]"`,
 * `exclusion-category="{ text: 'None of the above' }"`. It accepts JSON plus single-quoted
 * strings, bare identifier keys, trailing commas, array holes and `//` / `/* *\/` comments.
 * It evaluates nothing: identifiers are only allowed as object keys and as
 * `true`/`false`/`null`/`undefined`.
 */

export type LooseValue = string | number | boolean | null | undefined | LooseValue[] | { [key: string]: LooseValue };

/** Parses one literal; throws `SyntaxError` naming the offset of the first problem. */
export function parseLooseLiteral(source: string): LooseValue {
  const reader = new LiteralReader(source);
  const value = reader.value();
  reader.skipSpace();
  if (!reader.atEnd()) reader.fail('unexpected text after the value');
  return value;
}

/**
 * A list of display strings from a `categories`-style attribute. Strings stay as they are;
 * objects give their `label`, `text` or `name`. A value that is not a literal array is treated
 * as a single category (never silently dropped).
 */
export function parseStringList(source: string | null | undefined): string[] {
  if (source == null || source.trim() === '') return [];
  let parsed: LooseValue;
  try {
    parsed = parseLooseLiteral(source);
  } catch {
    return [source.trim()];
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  return items.flatMap((item) => {
    const text = displayText(item);
    return text === undefined ? [] : [text];
  });
}

/** The text of an `exclusion-category`-style object (`{ text: '…' }`), or of a bare string. */
export function displayText(item: LooseValue): string | undefined {
  if (typeof item === 'string') return item;
  if (typeof item === 'number' || typeof item === 'boolean') return String(item);
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    for (const key of ['label', 'text', 'name']) {
      const v = item[key];
      if (typeof v === 'string') return v;
    }
  }
  return undefined;
}

const IDENTIFIER_START = /[A-Za-z_$]/;
const IDENTIFIER_PART = /[A-Za-z0-9_$]/;
const NUMBER = /^-?(?:0|[1-9]\d*)?(?:\.\d+)?(?:[eE][+-]?\d+)?/;

class LiteralReader {
  private pos = 0;
  constructor(private readonly src: string) {}

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  fail(message: string): never {
    throw new SyntaxError(`${message} at offset ${this.pos}`);
  }

  skipSpace(): void {
    for (;;) {
      const rest = this.src.slice(this.pos);
      const space = /^\s+/.exec(rest);
      if (space) {
        this.pos += space[0].length;
      } else if (rest.startsWith('//')) {
        const end = this.src.indexOf('\n', this.pos);
        this.pos = end === -1 ? this.src.length : end + 1;
      } else if (rest.startsWith('/*')) {
        const end = this.src.indexOf('*/', this.pos + 2);
        if (end === -1) this.fail('unterminated comment');
        this.pos = end + 2;
      } else {
        return;
      }
    }
  }

  value(): LooseValue {
    this.skipSpace();
    const ch = this.src[this.pos];
    if (ch === '[') return this.array();
    if (ch === '{') return this.object();
    if (ch === '"' || ch === "'") return this.string();
    if (ch !== undefined && (ch === '-' || ch === '.' || (ch >= '0' && ch <= '9'))) return this.number();
    if (ch !== undefined && IDENTIFIER_START.test(ch)) {
      const word = this.identifier();
      if (word === 'true') return true;
      if (word === 'false') return false;
      if (word === 'null') return null;
      if (word === 'undefined') return undefined;
      this.pos -= word.length;
      this.fail(`unexpected identifier "${word}"`);
    }
    return this.fail(ch === undefined ? 'unexpected end' : `unexpected "${ch}"`);
  }

  private array(): LooseValue[] {
    this.pos++; // [
    const items: LooseValue[] = [];
    for (;;) {
      this.skipSpace();
      const ch = this.src[this.pos];
      if (ch === ']') {
        this.pos++;
        return items;
      }
      if (ch === ',') {
        this.pos++; // a hole, as in `[a,,b]`: skipped
        continue;
      }
      items.push(this.value());
      this.skipSpace();
      if (this.src[this.pos] === ',') this.pos++;
      else if (this.src[this.pos] !== ']') this.fail('expected "," or "]"');
    }
  }

  private object(): { [key: string]: LooseValue } {
    this.pos++; // {
    const result: { [key: string]: LooseValue } = {};
    for (;;) {
      this.skipSpace();
      const ch = this.src[this.pos];
      if (ch === '}') {
        this.pos++;
        return result;
      }
      let key: string;
      if (ch === '"' || ch === "'") key = this.string();
      else if (ch !== undefined && IDENTIFIER_START.test(ch)) key = this.identifier();
      else if (ch !== undefined && ch >= '0' && ch <= '9') key = String(this.number());
      else return this.fail('expected a key');
      this.skipSpace();
      if (this.src[this.pos] !== ':') this.fail('expected ":"');
      this.pos++;
      result[key] = this.value();
      this.skipSpace();
      if (this.src[this.pos] === ',') this.pos++;
      else if (this.src[this.pos] !== '}') this.fail('expected "," or "}"');
    }
  }

  private identifier(): string {
    const start = this.pos;
    while (this.pos < this.src.length && IDENTIFIER_PART.test(this.src[this.pos] as string)) this.pos++;
    return this.src.slice(start, this.pos);
  }

  private number(): number {
    const match = NUMBER.exec(this.src.slice(this.pos));
    const text = match?.[0] ?? '';
    if (text === '' || text === '-' || Number.isNaN(Number(text))) this.fail('invalid number');
    this.pos += text.length;
    return Number(text);
  }

  private string(): string {
    const quote = this.src[this.pos];
    this.pos++;
    let out = '';
    for (;;) {
      const ch = this.src[this.pos];
      if (ch === undefined) this.fail('unterminated string');
      this.pos++;
      if (ch === quote) return out;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const esc = this.src[this.pos];
      this.pos++;
      switch (esc) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          const hex = this.src.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
          break;
        }
        case undefined: this.fail('unterminated string'); break;
        default: out += esc; // \' \" \\ \/ and any other escaped character stand for themselves
      }
    }
  }
}
