/**
 * The DOM half of answer assembly (spec D.3.3–D.3.5): find a crowd-form's fields, validate
 * them, and turn the named, enabled ones into answer entries for `assembleAnswer`.
 *
 * Fields are crowd elements (`CrowdField`) and native `<input>`/`<select>`/`<textarea>` anywhere
 * in the form's light DOM, in tree order: inside crowd-card, region children, and whatever a
 * script added later (including into `crowdForm.form`). Shadow roots are not entered: a crowd
 * element answers for its own internals. Disabled fields are skipped, as native forms skip them
 * (UNCONFIRMED for crowd elements; Tandem's choice).
 */
import { assembleAnswer, nativeControlEntries, type AnswerObject } from './answer.js';
import { CrowdField } from './field.js';
import { clearNativeError, hasNativeError, showNativeError, type NativeControl } from './field-errors.js';

export type FormField = CrowdField | NativeControl;

export interface InvalidField {
  /** The field, or a named crowd element this bundle does not define (see findUnanswerable). */
  field: FormField | HTMLElement;
  /** '' for an unnamed control (it blocks submission but has no answer key). */
  name: string;
  message: string;
}

export function isNativeControl(node: unknown): node is NativeControl {
  return node instanceof HTMLInputElement || node instanceof HTMLSelectElement || node instanceof HTMLTextAreaElement;
}

/** Every field under `root`, named or not, in tree order. */
export function formFields(root: ParentNode): FormField[] {
  return [...root.querySelectorAll('*')].filter(
    (el): el is FormField => el instanceof CrowdField || isNativeControl(el),
  );
}

function isDisabled(field: FormField): boolean {
  return field instanceof CrowdField ? field.disabled || field.matches('fieldset[disabled] *') : field.matches(':disabled');
}

/** The answer object for the fields under `root` (no validation). */
export function collectAnswer(root: ParentNode): AnswerObject {
  const entries = formFields(root)
    .filter((field) => field.name !== '' && !isDisabled(field))
    .flatMap((field) => (field instanceof CrowdField ? field.answerEntries() : nativeControlEntries(field)));
  return assembleAnswer(entries);
}

/**
 * Validates every field under `root`, shows a message next to each invalid one, removes the
 * messages of fields that have become valid, and returns the invalid fields in tree order.
 * With `show: false` it only checks.
 */
export function validateFields(root: ParentNode, { show = true } = {}): InvalidField[] {
  const invalid: InvalidField[] = [...findUnanswerable(root, show)];
  const reportedRadioGroups = new Set<string>();
  for (const field of formFields(root)) {
    if (field instanceof CrowdField) {
      const valid = show ? field.reportValidity() : field.checkValidity();
      if (!valid) invalid.push({ field, name: field.name, message: field.validationMessage });
      continue;
    }
    if (!field.willValidate || field.checkValidity()) {
      if (show) clearNativeError(field);
      continue;
    }
    const group = groupOf(field, root);
    if (group.length > 1) {
      if (reportedRadioGroups.has(field.name)) continue;
      reportedRadioGroups.add(field.name);
    }
    invalid.push({ field, name: field.name, message: field.validationMessage });
    if (show) showNativeError(group, field.validationMessage);
  }
  return invalid;
}

/**
 * Named `crowd-*` elements this bundle does not define cannot produce their value: submitting
 * would silently drop their answer, so they block submission with a message next to them.
 * (The server refuses such templates; this covers tags a script creates at run time.)
 */
function findUnanswerable(root: ParentNode, show: boolean): InvalidField[] {
  const invalid: InvalidField[] = [];
  for (const element of root.querySelectorAll<HTMLElement>('[name]')) {
    const tag = element.localName;
    if (!tag.startsWith('crowd-') || customElements.get(tag) || element.matches(':disabled, [disabled]')) continue;
    const name = element.getAttribute('name') ?? '';
    const message = `This task uses <${tag}>, which Tandem does not have, so the answer "${name}" cannot be recorded. Skip the task and tell your administrator.`;
    invalid.push({ field: element, name, message });
    if (show && !(element.nextElementSibling?.classList.contains('tandem-unanswerable') ?? false)) {
      const note = element.ownerDocument.createElement('span');
      note.className = 'tandem-field-error tandem-unanswerable';
      note.setAttribute('role', 'alert');
      note.textContent = message;
      element.after(note);
    }
  }
  return invalid;
}

/** After an edit of a native control that shows a message: drop or update the message. */
export function revalidateNativeControl(control: NativeControl, root: ParentNode): void {
  const group = groupOf(control, root);
  const showing = group.find(hasNativeError);
  if (!showing) return;
  const failing = group.find((c) => c.willValidate && !c.validity.valid);
  if (failing) showNativeError(group, failing.validationMessage);
  else clearNativeError(showing);
}

/** Removes every message shown under `root` (after a reset). */
export function clearFieldErrors(root: ParentNode): void {
  for (const field of formFields(root)) {
    if (field instanceof CrowdField) field.clearValidationMessage();
    else clearNativeError(field);
  }
}

/** A named radio's whole group (they are valid or invalid together); any other control alone. */
function groupOf(control: NativeControl, root: ParentNode): NativeControl[] {
  if (!(control instanceof HTMLInputElement) || control.type !== 'radio' || !control.name) return [control];
  return [...root.querySelectorAll<HTMLInputElement>('input[type=radio]')].filter(
    (r) => r.name === control.name && r.form === control.form,
  );
}
