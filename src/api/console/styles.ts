/** The console's additions to the portal stylesheet (no inline style: the CSP forbids it). */
export const CONSOLE_CSS = `
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 0.5rem; }
.skip:focus { left: 0.5rem; z-index: 10; }
main#main { max-width: 80rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
main#main:focus { outline: none; }
.narrow { max-width: 26rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
nav .nav { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; list-style: none; margin: 0; padding: 0.5rem 1.25rem; background: #fff; border-bottom: 1px solid var(--line); }
nav .nav a { color: var(--ink); text-decoration: none; padding: 0.25rem 0; display: inline-block; }
nav .nav a[aria-current=page] { font-weight: 700; border-bottom: 3px solid var(--accent); }
a { color: var(--accent); }
form.inline { display: inline-flex; gap: 0.4rem; align-items: center; margin: 0; }
.title-row { display: flex; justify-content: space-between; align-items: center; gap: 1rem; flex-wrap: wrap; }
a.button { display: inline-block; padding: 0.5rem 1.1rem; border-radius: 6px; background: var(--accent); color: #fff; text-decoration: none; }
button.danger { background: #a1261b; border-color: #a1261b; }
button.small { padding: 0.2rem 0.6rem; }
.filters { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem 1rem; margin: 0.75rem 0; }
.filters > div { display: grid; gap: 0.2rem; }
select, input[type=date], input[type=search], input[type=number], input[type=url], textarea { font: inherit; padding: 0.45rem 0.5rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
textarea, pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 0.5rem 0; }
caption { text-align: left; font-weight: 600; padding: 0.5rem 0; }
th, td { text-align: left; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td pre { margin: 0; white-space: pre-wrap; max-width: 40rem; }
.status { display: inline-block; padding: 0 0.5rem; border-radius: 999px; font-size: 0.85rem; background: #e8eaed; color: #1d2330; }
.status-inprogress { background: #e8f0fe; color: #174ea6; }
.status-completed { background: #e6f4ea; color: #0d652d; }
.status-failed { background: #fdecea; color: #a1261b; }
.status-stopped, .status-stopping { background: #fef7e0; color: #7a4a00; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem 1rem; }
.facts dt { font-weight: 600; }
.facts dd { margin: 0; }
pre.json { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem; overflow: auto; max-height: 28rem; }
.panel.warning { border-color: #e0a800; background: #fffaeb; margin: 1rem 0; }
.stack.wide { max-width: 48rem; }
.inline-actions { display: flex; gap: 0.5rem; align-items: center; flex-wrap: wrap; margin-top: 1rem; }
.empty { color: var(--muted); }
.names { max-height: 16rem; overflow: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 2rem; }
.editor-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; }
@media (max-width: 60rem) { .editor-grid { grid-template-columns: 1fr; } }
.code-editor { position: relative; }
.code-editor textarea, .code-editor pre.highlight { margin: 0; padding: 0.6rem; border: 1px solid var(--line); border-radius: 6px; width: 100%; min-height: 24rem; line-height: 1.45; white-space: pre-wrap; word-wrap: break-word; tab-size: 2; font-size: 0.9rem; }
.code-editor pre.highlight { position: absolute; inset: 0; pointer-events: none; overflow: hidden; background: #fff; color: #1d2330; }
.code-editor textarea { position: relative; background: transparent; color: transparent; caret-color: #1d2330; resize: vertical; }
.hl-tag { color: #174ea6; } .hl-attr { color: #7a4a00; } .hl-liquid { color: #8430ce; background: #f6efff; } .hl-string { color: #0d652d; } .hl-error { background: #fdecea; outline: 1px solid #a1261b; }
.preview-frame { width: 100%; height: 26rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.warnings li { color: #7a4a00; }
.document { margin: 0.5rem 0 1rem; max-width: 48rem; }
.document img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line); }
.document-page { position: relative; }
.document-page svg { position: absolute; inset: 0; width: 100%; height: 100%; }
.document-page rect.kv { fill: rgba(29, 78, 216, 0.08); stroke: #1d4ed8; stroke-width: 1px; vector-effect: non-scaling-stroke; }
.document-page rect.kv-selected { fill: rgba(180, 83, 9, 0.18); stroke: #b45309; stroke-width: 3px; }
`;
