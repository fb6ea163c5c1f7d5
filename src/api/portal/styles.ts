/** The portal's stylesheet, served as `/portal/assets/portal.css` (the portal CSP allows no inline style). */
export const PORTAL_CSS = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d8dde6; --accent: #1f5fbf; --bg: #f5f7fa; --error: #a1261b; --focus: #0b3d91; }
* { box-sizing: border-box; }
/* The task frame grows with its template; a scroll bar appearing must not narrow an image mid-drawing. */
html { scrollbar-gutter: stable; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
.bar { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 0.5rem 1.25rem; padding: 0.5rem 1.25rem; background: #fff; border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; color: var(--ink); text-decoration: none; letter-spacing: 0.02em; }
.account { display: flex; gap: 0.75rem; align-items: center; color: var(--muted); }
.account form { margin: 0; }
main.narrow { max-width: 24rem; margin: 3rem auto; padding: 1.5rem; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
main.work { max-width: 72rem; margin: 0 auto; padding: 1rem 1.25rem; }
h1 { font-size: 1.35rem; margin: 0 0 0.5rem; }
.stack { display: grid; gap: 0.4rem; }
.stack button { margin-top: 0.75rem; }
label { font-weight: 600; }
input[type=email], input[type=password], input[type=text] { font: inherit; padding: 0.5rem 0.6rem; border: 1px solid var(--line); border-radius: 6px; }
button { font: inherit; padding: 0.5rem 1.1rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.link { border: 0; background: none; color: var(--accent); padding: 0; text-decoration: underline; }
button:disabled { opacity: 0.5; cursor: default; }
/* WCAG 2.2 focus appearance: a dark ring (≥ 3:1 against white and the page background). */
button:focus-visible, a:focus-visible, input:focus-visible, [tabindex]:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.notice { padding: 0.6rem 0.8rem; border-radius: 6px; background: #e8f0fe; margin: 0 0 0.75rem; }
.notice.error { background: #fdecea; color: var(--error); }
.hint, .keys { color: var(--muted); font-size: 0.9rem; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; }
.task-head { display: flex; justify-content: space-between; gap: 1rem; align-items: flex-start; }
.task-head p { margin: 0; color: var(--muted); }
.timer { white-space: nowrap; font-variant-numeric: tabular-nums; }
.timer.low { color: var(--error); font-weight: 600; }
.frame-slot { margin: 0.75rem 0; }
.frame-slot iframe { display: block; box-sizing: border-box; width: 100%; height: 32rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.actions { display: flex; gap: 0.75rem; }
kbd { border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 0.3rem; font-size: 0.85em; background: #fff; }
/* Issue 14: the skip Undo bar, the shortcuts dialog. */
.notice.undo { display: flex; align-items: center; gap: 0.75rem; }
dialog { border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; max-width: 32rem; }
dialog::backdrop { background: rgb(29 35 48 / 0.4); }
.shortcut-list { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; }
.shortcut-list dd { margin: 0; }
/* Navigation, language switch, Home and History. */
.skip-link { position: absolute; left: 0.5rem; top: -3rem; background: #fff; color: var(--accent); padding: 0.4rem 0.8rem; border-radius: 6px; z-index: 10; }
.skip-link:focus { top: 0.5rem; }
.bar ul { list-style: none; margin: 0; padding: 0; display: flex; gap: 0.25rem 1rem; flex-wrap: wrap; }
.bar a { color: var(--accent); }
.sections { flex: 1; }
.sections a[aria-current="page"] { color: var(--ink); font-weight: 600; text-decoration: none; }
.bar-end { display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; align-items: center; }
.languages a[aria-current="true"] { color: var(--ink); font-weight: 600; text-decoration: none; }
main.work > h1 { margin: 0.5rem 0 0.75rem; }
main.work > .panel { margin-bottom: 1rem; }
h2 { font-size: 1.1rem; margin: 0 0 0.5rem; }
.title-row { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 0.5rem 1rem; margin-bottom: 0.5rem; }
a.button { display: inline-block; padding: 0.5rem 1.1rem; border-radius: 6px; background: var(--accent); color: #fff; text-decoration: none; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; color: var(--muted); padding-bottom: 0.4rem; }
th, td { text-align: left; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { font-size: 0.85rem; color: var(--muted); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.empty { color: var(--muted); }
.day { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: 0.75rem; margin: 0; }
.day div { border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 0.75rem; }
.day dt { color: var(--muted); font-size: 0.9rem; }
.day dd { margin: 0; font-size: 1.5rem; font-variant-numeric: tabular-nums; }
.pager { display: flex; gap: 1rem; margin-top: 0.75rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 480px) {
  main.narrow { margin: 1rem; }
  main.work { padding: 0.75rem; }
  .task-head { flex-direction: column; gap: 0.25rem; }
  .bar { padding: 0.5rem 0.75rem; }
}
[hidden] { display: none !important; }
`;
