/**
 * Validation messages for the template's own native controls. They live in the template's light
 * DOM, so the message is a `<span class="tandem-field-error" role="alert">` inserted right after
 * the control (after its label when the label wraps it or directly follows it), tied to the
 * control with `aria-describedby` and `aria-invalid`. A radio group gets one message, after its
 * last radio.
 */
export type NativeControl = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

interface ShownError {
  message: HTMLElement;
  controls: NativeControl[];
}

const shown = new WeakMap<NativeControl, ShownError>();
let nextId = 1;

/** Shows `text` for `controls` (one control, or every radio of a group) or updates it. */
export function showNativeError(controls: NativeControl[], text: string): void {
  const first = controls[0];
  const last = controls[controls.length - 1];
  if (!first || !last) return;
  let error = shown.get(first);
  if (!error) {
    const message = first.ownerDocument.createElement('span');
    message.className = 'tandem-field-error';
    message.id = `tandem-field-error-${nextId++}`;
    message.setAttribute('role', 'alert');
    anchorFor(last).after(message);
    error = { message, controls };
    for (const control of controls) {
      shown.set(control, error);
      control.setAttribute('aria-invalid', 'true');
      setDescribedBy(control, [...describedBy(control), message.id]);
    }
  }
  error.message.textContent = text;
}

/** Removes the message shown for `control` (and for the rest of its radio group). */
export function clearNativeError(control: NativeControl): void {
  const error = shown.get(control);
  if (!error) return;
  error.message.remove();
  for (const c of error.controls) {
    shown.delete(c);
    c.removeAttribute('aria-invalid');
    setDescribedBy(c, describedBy(c).filter((id) => id !== error.message.id));
  }
}

export function hasNativeError(control: NativeControl): boolean {
  return shown.has(control);
}

function anchorFor(control: NativeControl): Element {
  const wrapping = control.closest('label');
  if (wrapping) return wrapping;
  const next = control.nextElementSibling;
  if (next instanceof HTMLLabelElement && next.control === control) return next;
  return control;
}

function describedBy(control: Element): string[] {
  return (control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
}

function setDescribedBy(control: Element, ids: string[]): void {
  if (ids.length > 0) control.setAttribute('aria-describedby', ids.join(' '));
  else control.removeAttribute('aria-describedby');
}
