/**
 * Answer assembly for `crowd-form`: the rules of spec D.3 as pure functions, so they are tested
 * without a browser. The DOM walk (`form-fields.ts`) turns every named control into entries;
 * `assembleAnswer` folds them, in tree order, into the answer object A2I stores as
 * `answerContent`.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type AnswerObject = { [name: string]: JsonValue };

/**
 * What one control contributes under its `name`.
 * - `text`: a string (crowd-input, crowd-text-area, native text-like controls). An empty string
 *   contributes nothing: "Elements with no input do not appear in the output" (crowd-input doc);
 *   the same rule is applied to every text control (spec recommendation, UNCONFIRMED for natives).
 * - `flag`: one boolean under `key` (the control's `value`, default `"on"`). Flags sharing a name
 *   merge into one object; unchecked boxes contribute `false` (crowd-checkbox doc).
 * - `value`: a structured value (annotation tools, multi-selects); replaces what the name held.
 */
export type AnswerEntry =
  | { kind: 'text'; name: string; value: string }
  | { kind: 'flag'; name: string; key: string; checked: boolean }
  | { kind: 'value'; name: string; value: JsonValue };

/** The key a boolean control reports under when it has no `value` attribute. */
export const DEFAULT_FLAG_KEY = 'on';

/**
 * Folds entries (in document order) into one answer object. A repeated name keeps the last
 * contribution (spec D.2 #7), except that flags merge into the object an earlier flag made.
 * Keys come out sorted at every level (see {@link canonicalize}).
 *
 * @example
 * assembleAnswer([
 *   { kind: 'flag', name: 'image_attributes', key: 'blurry', checked: true },
 *   { kind: 'flag', name: 'image_attributes', key: 'dim', checked: false },
 *   { kind: 'text', name: 'tag1', value: 'blue' },
 * ]) // → { image_attributes: { blurry: true, dim: false }, tag1: 'blue' }
 */
export function assembleAnswer(entries: Iterable<AnswerEntry>): AnswerObject {
  const answer: AnswerObject = {};
  const flagObjects = new Set<JsonValue>();
  for (const entry of entries) {
    switch (entry.kind) {
      case 'text':
        if (entry.value !== '') answer[entry.name] = entry.value;
        break;
      case 'value':
        answer[entry.name] = entry.value;
        break;
      case 'flag': {
        let flags = answer[entry.name];
        if (!flagObjects.has(flags as JsonValue)) {
          flags = {};
          flagObjects.add(flags);
          answer[entry.name] = flags;
        }
        (flags as { [key: string]: JsonValue })[entry.key] = entry.checked;
        break;
      }
    }
  }
  return canonicalize(answer) as AnswerObject;
}

/**
 * A copy of `value` with object keys sorted (code-point order) at every level and array order
 * kept: the form every documented A2I/GT payload has (spec D.4). The server canonicalizes again;
 * doing it here too makes what the portal receives identical to what is stored.
 */
export function canonicalize(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === 'object') {
    const sorted: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value).sort(compareCodePoints)) {
      sorted[key] = canonicalize(value[key] as JsonValue);
    }
    return sorted;
  }
  return value;
}

function compareCodePoints(a: string, b: string): number {
  // Array.prototype.sort's default compares UTF-16 code units, which differs from code-point order
  // only for astral characters; compare code points explicitly so both agree with the server.
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = (ca[i] as string).codePointAt(0)! - (cb[i] as string).codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

/** The part of a native `<input>`, `<select>` or `<textarea>` that decides its contribution. */
export interface NativeControlLike {
  /** `input.type`, or `select-one` / `select-multiple` / `textarea` for the other two. */
  readonly type: string;
  readonly name: string;
  readonly value: string;
  readonly checked?: boolean;
  readonly selectedOptions?: ArrayLike<{ readonly value: string }>;
}

/** Input types that never contribute: buttons submit or act, files cannot leave the sandbox. */
const NON_DATA_INPUT_TYPES = new Set(['submit', 'button', 'reset', 'image', 'file']);

/**
 * The entries a named native control contributes (spec D.3.5):
 * checkbox/radio → `{value: checked}` flags (unchecked included, as for crowd-checkbox);
 * `select multiple` → array of selected values (omitted when none; UNCONFIRMED, Tandem's choice);
 * every other input, `select`, `textarea` → its string value (omitted when empty).
 * Buttons and file inputs contribute nothing. The caller skips unnamed and disabled controls.
 */
export function nativeControlEntries(control: NativeControlLike): AnswerEntry[] {
  const { name, type } = control;
  if (type === 'checkbox' || type === 'radio') {
    return [{ kind: 'flag', name, key: control.value || DEFAULT_FLAG_KEY, checked: control.checked === true }];
  }
  if (type === 'select-multiple') {
    const values = Array.from(control.selectedOptions ?? [], (option) => option.value);
    return values.length > 0 ? [{ kind: 'value', name, value: values }] : [];
  }
  if (NON_DATA_INPUT_TYPES.has(type)) return [];
  return [{ kind: 'text', name, value: control.value }];
}
