/**
 * The task UI editor: a highlighted overlay under a transparent textarea (no editor
 * dependency), and a live preview. On every edit of the template or the sample input the
 * preview form posts both to `/console/task-uis/preview` into the sandboxed preview frame,
 * which renders the template exactly as the portal's task frame does. The frame reports the
 * answer with `postMessage` after every edit (a draft, web/crowd/workspace-bridge.ts) and on
 * submit (web/crowd/portal-bridge.ts); the answer JSON panel shows the latest. "Show answer"
 * asks the frame to submit (validating), as the portal's Submit button does.
 */
export function startTemplateEditor(): void {
  const template = document.getElementById('template') as HTMLTextAreaElement | null;
  const highlight = document.getElementById('template-highlight');
  const form = document.getElementById('preview-form') as HTMLFormElement | null;
  const frame = document.getElementById('preview-frame') as HTMLIFrameElement | null;
  const input = document.getElementById('sample-input') as HTMLTextAreaElement | null;
  const answer = document.getElementById('answer-json');
  if (!template || !highlight || !form || !frame || !input || !answer) return;
  const previewTemplate = form.querySelector<HTMLInputElement>('input[name="template"]')!;
  const previewInput = form.querySelector<HTMLInputElement>('input[name="input"]')!;

  const paint = (): void => {
    highlight.innerHTML = highlightTemplate(template.value) + '\n';
    highlight.scrollTop = template.scrollTop;
  };
  let timer: number | undefined;
  const preview = (): void => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      previewTemplate.value = template.value;
      previewInput.value = input.value;
      answer.textContent = '(fill in the preview: its answer shows here as you type; "Show answer" submits it)';
      form.submit();
    }, 300);
  };
  template.addEventListener('input', () => {
    paint();
    preview();
  });
  template.addEventListener('scroll', () => (highlight.scrollTop = template.scrollTop));
  input.addEventListener('input', preview);
  document.getElementById('show-answer')?.addEventListener('click', () => frame.contentWindow?.postMessage({ type: 'tandem:request-submit' }, '*'));
  window.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== frame.contentWindow) return;
    const data = event.data as { type?: string; answer?: unknown; fields?: string[] };
    // A draft follows every input and change event in the preview (workspace-bridge.ts): typing shows at once.
    if (data.type === 'tandem:submit' || data.type === 'tandem:draft') answer.textContent = JSON.stringify([{ answerContent: data.answer }], null, 2);
    if (data.type === 'tandem:invalid') answer.textContent = `Not submitted: invalid fields ${JSON.stringify(data.fields ?? [])}`;
  });
  paint();
  previewTemplate.value = template.value;
  previewInput.value = input.value;
  form.submit();
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Liquid tags and outputs, HTML tags, attribute names and quoted strings, each in a span. */
export function highlightTemplate(source: string): string {
  const pattern = /(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\})|(<\/?[A-Za-z][\w-]*)|(\s[A-Za-z_:][\w:.-]*)(?==)|("[^"]*"|'[^']*')/g;
  let out = '';
  let last = 0;
  for (const match of source.matchAll(pattern)) {
    const at = match.index ?? 0;
    out += escape(source.slice(last, at));
    const kind = match[1] ? 'hl-liquid' : match[2] ? 'hl-tag' : match[3] ? 'hl-attr' : 'hl-string';
    out += `<span class="${kind}">${escape(match[0])}</span>`;
    last = at + match[0].length;
  }
  return out + escape(source.slice(last));
}
