/**
 * Finds `<crowd-…>` tags Tandem does not define. Such a tag (a misspelling included) would render
 * nothing in the worker's browser and its `name` would be missing from the answer, so templates
 * using one are refused, reported or held (see template-check.ts).
 */
import { isKnownCrowdElement } from './crowd-element-names.js';
import type { RenderingError } from './render-worker-template.js';

/**
 * `<crowd-name` at the start of an opening tag, followed by what ends a tag name. A script that
 * builds a tag from pieces (`'<crowd-' + kind`) cannot be judged and is not matched.
 */
const CROWD_TAG = /<(crowd-[\w.-]+)(?=[\s/>]|$)/gi;
/** HTML comments hide markup from the browser, so tags inside them do not count. */
const HTML_COMMENT = /<!--[\s\S]*?-->/g;

/**
 * Every `crowd-*` tag in `template` that Tandem does not define, once per tag name (its first
 * use), in order of appearance. Tags written inside script strings (`innerHTML = '<crowd-alert>'`)
 * count, since scripts create them; tags inside HTML comments do not.
 *
 * @example
 * findUnknownCrowdElements('<crowd-form>\n  <crowd-clasifier name="c">')
 * // → [{ Code: 'TemplateUnknownElement',
 * //      Message: 'Unknown element <crowd-clasifier> at line 2, column 3: Tandem does not define it, …' }]
 */
export function findUnknownCrowdElements(template: string): RenderingError[] {
  const visible = template.replace(HTML_COMMENT, (comment) => comment.replace(/[^\n]/g, ' '));
  const seen = new Set<string>();
  const errors: RenderingError[] = [];
  for (const match of visible.matchAll(CROWD_TAG)) {
    const name = (match[1] ?? '').toLowerCase();
    if (isKnownCrowdElement(name) || seen.has(name)) continue;
    seen.add(name);
    const { line, column } = lineAndColumn(template, match.index ?? 0);
    errors.push({
      Code: 'TemplateUnknownElement',
      Message: `Unknown element <${name}> at line ${line}, column ${column}: Tandem does not define it, so its answer would be lost`,
    });
  }
  return errors;
}

function lineAndColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: index - lineStart + 1 };
}
