/**
 * What the console's template editor reports beyond Liquid errors: `crowd-*` elements that
 * Tandem's bundle does not define (web/crowd/index.ts), which a worker's browser would show as
 * nothing, with their line numbers.
 */

/** The crowd elements web/crowd/index.ts defines. */
export const KNOWN_CROWD_ELEMENTS: ReadonlySet<string> = new Set([
  'crowd-form',
  'crowd-button',
  'crowd-input',
  'crowd-text-area',
  'crowd-checkbox',
  'crowd-radio-group',
  'crowd-radio-button',
  'crowd-classifier',
  'crowd-image-classifier',
  'crowd-instructions',
  'crowd-alert',
  'crowd-card',
]);

export interface TemplateWarning {
  line: number;
  message: string;
}

export function unknownCrowdElements(template: string): TemplateWarning[] {
  const warnings: TemplateWarning[] = [];
  for (const match of template.matchAll(/<(crowd-[a-z0-9-]+)/gi)) {
    const name = match[1]!.toLowerCase();
    if (KNOWN_CROWD_ELEMENTS.has(name)) continue;
    const line = template.slice(0, match.index).split('\n').length;
    warnings.push({ line, message: `<${name}> is not a crowd element Tandem provides; workers would see nothing there.` });
  }
  return warnings;
}
