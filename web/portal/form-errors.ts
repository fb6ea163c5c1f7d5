/**
 * Server-drawn form errors that go away once fixed (WCAG 3.3.1): a form marked
 * `data-clears-error="<id of its error>"` hides the error, and drops `aria-invalid` and the
 * error from the fields' `aria-describedby`, as soon as every field is valid again (a field with
 * `data-same-as` must also equal the named field: the invite page's password confirmation).
 */
export function clearErrorsWhenFixed(root: ParentNode = document): void {
  for (const form of root.querySelectorAll<HTMLFormElement>('form[data-clears-error]')) {
    const errorId = form.dataset.clearsError!;
    const error = document.getElementById(errorId);
    if (!error) continue;
    const fields = [...form.querySelectorAll<HTMLInputElement>('input:not([type=hidden]):not([hidden])')];
    const fixed = () =>
      fields.every((field) => {
        const other = field.dataset.sameAs ? (form.querySelector<HTMLInputElement>(`#${CSS.escape(field.dataset.sameAs)}`)?.value ?? '') : undefined;
        return field.checkValidity() && (other === undefined || other === field.value);
      });
    const onInput = () => {
      if (error.hidden || !fixed()) return;
      error.hidden = true;
      for (const field of fields) {
        field.removeAttribute('aria-invalid');
        const described = (field.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((id) => id && id !== errorId);
        if (described.length > 0) field.setAttribute('aria-describedby', described.join(' '));
        else field.removeAttribute('aria-describedby');
      }
    };
    form.addEventListener('input', onInput);
  }
}
