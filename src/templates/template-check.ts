/**
 * "Nothing is silently lost": whether a worker template can be shown to reviewers without
 * dropping part of their answer. Used by CreateHumanTaskUi (refuse), the portal (hold the loop)
 * and `tandem templates check` (list stored templates).
 *
 * - Liquid: the template must parse with unknown filters treated as errors (an unknown tag is
 *   already a syntax error), so a filter Tandem lacks is refused up front instead of failing every
 *   task's render later.
 * - HTML: every `<crowd-…>` tag must be one Tandem defines (unknown-elements.ts).
 */
import { findTemplateSyntaxErrors, type RenderingError } from './render-worker-template.js';
import { findUnknownCrowdElements } from './unknown-elements.js';

/**
 * Everything that stops a template from being stored or offered to reviewers: Liquid syntax
 * errors (unknown filters and tags included) and unknown crowd elements; [] when it is usable.
 */
export function findTemplateProblems(template: string): RenderingError[] {
  const syntax = findTemplateSyntaxErrors(template);
  if (syntax.some((error) => error.Code === 'TemplateTooLarge')) return syntax;
  return [...syntax, ...findUnknownCrowdElements(template)];
}
