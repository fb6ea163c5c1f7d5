/**
 * Icons for crowd-fab, crowd-icon-button and crowd-badge. Templates name iron-icons
 * (`icon="star"`) or give an image URL. Tandem draws a small set of common names itself (simple
 * geometric SVG, no icon font); any other name is shown as its first letter, so a button never
 * turns blank (*choice*). URLs (anything with `/`, `.` or `:`) are shown as images.
 */
import { html, nothing, svg, type TemplateResult } from 'lit';

/** Each icon: a path drawn as a line and/or one filled, on a 24×24 grid. */
type Shape = { line?: string; fill?: string };

const circle = (cx: number, cy: number, r: number) => `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

function starPath(): string {
  const points: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? 10 : 4.2;
    const a = (Math.PI / 5) * i - Math.PI / 2;
    points.push(`${(12 + r * Math.cos(a)).toFixed(2)} ${(12.6 + r * Math.sin(a)).toFixed(2)}`);
  }
  return `M${points.join('L')}Z`;
}

const CHECK = 'M5 13l5 5L19 7';
const CROSS = 'M6 6l12 12M18 6L6 18';
const SHAPES: Readonly<Record<string, Shape>> = {
  star: { fill: starPath() },
  check: { line: CHECK },
  done: { line: CHECK },
  close: { line: CROSS },
  clear: { line: CROSS },
  cancel: { line: `${circle(12, 12, 9)}M9 9l6 6M15 9l-6 6` },
  add: { line: 'M12 5v14M5 12h14' },
  remove: { line: 'M5 12h14' },
  delete: { line: 'M6 7h12M9 7V5h6v2M8 7l1 12h6l1-12' },
  edit: { line: 'M5 19l1-4L16 5l3 3L9 18z' },
  create: { line: 'M5 19l1-4L16 5l3 3L9 18z' },
  search: { line: `${circle(10.5, 10.5, 5.5)}M15 15l5 5` },
  menu: { line: 'M4 7h16M4 12h16M4 17h16' },
  info: { line: `${circle(12, 12, 9)}M12 11v6M12 7.5v.5` },
  help: { line: `${circle(12, 12, 9)}M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.7.4-1 .9-1 1.7M12 16.5v.5` },
  warning: { line: 'M12 4l9 16H3zM12 10v4M12 17v.5' },
  favorite: { fill: 'M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10z' },
  'arrow-back': { line: 'M19 12H5M11 6l-6 6 6 6' },
  'arrow-forward': { line: 'M5 12h14M13 6l6 6-6 6' },
  'arrow-upward': { line: 'M12 19V5M6 11l6-6 6 6' },
  'arrow-downward': { line: 'M12 5v14M6 13l6 6 6-6' },
  refresh: { line: 'M19 12a7 7 0 1 1-2.1-5M19 4v4h-4' },
  'zoom-in': { line: `${circle(10.5, 10.5, 5.5)}M15 15l5 5M8 10.5h5M10.5 8v5` },
  'zoom-out': { line: `${circle(10.5, 10.5, 5.5)}M15 15l5 5M8 10.5h5` },
  'thumb-up': { line: 'M7 11v9H4v-9zM7 11l4-7c1.5 0 2 1 2 2v3h5a2 2 0 0 1 2 2.3l-1.2 6A2 2 0 0 1 16.8 20H7' },
  'thumb-down': { line: 'M7 13V4H4v9zM7 13l4 7c1.5 0 2-1 2-2v-3h5a2 2 0 0 0 2-2.3l-1.2-6A2 2 0 0 0 16.8 4H7' },
};

/** Whether `icon` is an image URL rather than an icon name. */
export function isIconUrl(icon: string): boolean {
  return /[/.:]/.test(icon);
}

/** The icon `name` (an iron-icons name or an image URL), decorative (the control carries the name). */
export function renderIcon(name: string): TemplateResult {
  if (isIconUrl(name)) return html`<img class="icon" src=${name} alt="" />`;
  const bare = name.replace(/^icons:/, '');
  const shape = SHAPES[bare];
  if (!shape) return html`<span class="icon letter" aria-hidden="true">${(bare[0] ?? '?').toUpperCase()}</span>`;
  return html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
    ${shape.fill ? svg`<path d=${shape.fill} fill="currentColor"></path>` : nothing}
    ${shape.line ? svg`<path d=${shape.line} fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"></path>` : nothing}
  </svg>`;
}
