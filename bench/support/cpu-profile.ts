/**
 * Reads a V8 `.cpuprofile` (written by `node --cpu-prof`) into the figures a benchmark report
 * needs: the functions with the most self time, self time per package (a native or builtin
 * frame is charged to the JavaScript that called it), and inclusive time for named groups of
 * frames ("anything under verifySigV4").
 *
 * @example
 * const summary = await summarizeCpuProfile(file, {
 *   groups: [{ label: 'SigV4 verification', functions: ['verifySigV4'] }],
 * });
 * summary.groups[0]; // { label: 'SigV4 verification', ms: 812.4, percentOfBusy: 9.1 }
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatCount, formatTable } from './table.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Frames whose function name is one of `functions`, or whose URL contains one of `urlIncludes`. */
export interface FrameGroup {
  label: string;
  functions?: string[];
  urlIncludes?: string[];
}

export interface CostLine {
  name: string;
  ms: number;
  /** Share of the time the process was not idle. */
  percentOfBusy: number;
}

export interface CpuProfileSummary {
  file: string;
  wallMs: number;
  busyMs: number;
  idleMs: number;
  topFunctions: CostLine[];
  packages: CostLine[];
  groups: CostLine[];
}

const IDLE = '(idle)';

/**
 * Where a Tandem API request's time goes. Inclusive: a sample counts for a group when any frame
 * of its stack belongs to it. SQLite's native statement execution runs inside Kysely's
 * `executeQuery` (better-sqlite3's `run`/`all` are not frames of their own), so it is part of
 * the Kysely group, and shows as `executeQuery` self time.
 */
export const TANDEM_FRAME_GROUPS: FrameGroup[] = [
  { label: 'SigV4 verification (verifySigV4)', functions: ['verifySigV4'] },
  { label: 'body parse + shape validation', functions: ['parseJsonBody', 'validateInput'] },
  { label: 'Kysely (build, compile, execute; SQLite execution included)', urlIncludes: ['/node_modules/kysely/'] },
  { label: 'better-sqlite3 JS (prepare)', urlIncludes: ['/node_modules/better-sqlite3/'] },
  { label: 'pg driver (pg, pg-protocol, pg-pool)', urlIncludes: ['/node_modules/pg/', '/node_modules/pg-protocol/', '/node_modules/pg-pool/'] },
  { label: 'socket writes (HTTP responses, PostgreSQL messages)', functions: ['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String'] },
  { label: 'garbage collection', functions: ['(garbage collector)'] },
];

/** The first `.cpuprofile` in `dir` (where `--cpu-prof-dir` wrote it), or undefined. */
export async function findCpuProfile(dir: string): Promise<string | undefined> {
  const file = (await readdir(dir)).find((name) => name.endsWith('.cpuprofile'));
  return file ? join(dir, file) : undefined;
}

/** Three tables: the groups, self time by package, the top functions by self time. */
export function formatCpuProfileSummary(summary: CpuProfileSummary, topFunctions = 12): string {
  const rows = (lines: CostLine[]) => lines.map((line) => [line.name, formatCount(line.ms), `${line.percentOfBusy}%`]);
  return [
    `${formatCount(summary.busyMs)} ms busy of ${formatCount(summary.wallMs)} ms`,
    formatTable(['inclusive', 'ms', '% busy'], rows(summary.groups)),
    formatTable(['self time by package', 'ms', '% busy'], rows(summary.packages)),
    formatTable(['top self time', 'ms', '% busy'], rows(summary.topFunctions.slice(0, topFunctions))),
  ].join('\n');
}

export async function summarizeCpuProfile(
  file: string,
  options: {
    groups?: FrameGroup[];
    top?: number;
    /** Repository root, for shorter paths. @defaultValue `process.cwd()` */
    root?: string;
    /**
     * Only samples taken inside this window, in microseconds of the monotonic clock (V8's profile
     * clock, the same as `process.hrtime.bigint() / 1000n` in any process of the machine).
     */
    window?: { startMicros: number; endMicros: number };
  } = {},
): Promise<CpuProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const root = options.root ?? process.cwd();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfByFunction = new Map<string, number>();
  const selfByPackage = new Map<string, number>();
  const groups = options.groups ?? [];
  const groupMs = groups.map(() => 0);
  let idleMs = 0;
  let wallMs = 0;
  let at = profile.startTime;

  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i] is the time between sample i-1 and sample i: charge it to sample i.
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (options.window && (at < options.window.startMicros || at > options.window.endMicros)) continue;
    const ms = delta / 1000;
    wallMs += ms;
    const leaf = byId.get(profile.samples[i]!)!;
    if (leaf.callFrame.functionName === IDLE) {
      idleMs += ms;
      continue;
    }
    const functionName = describe(leaf.callFrame, root);
    selfByFunction.set(functionName, (selfByFunction.get(functionName) ?? 0) + ms);
    const stack = stackOf(leaf.id, byId, parent);
    const pkg = packageOf(stack, root);
    selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + ms);
    groups.forEach((group, index) => {
      if (stack.some((frame) => inGroup(frame, group))) groupMs[index]! += ms;
    });
  }

  const busyMs = wallMs - idleMs;
  const line = (name: string, ms: number): CostLine => ({
    name,
    ms: Math.round(ms * 10) / 10,
    percentOfBusy: busyMs > 0 ? Math.round((ms / busyMs) * 1000) / 10 : 0,
  });
  const ranked = (map: Map<string, number>, top: number) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => line(name, ms));
  return {
    file,
    wallMs: Math.round(wallMs),
    busyMs: Math.round(busyMs),
    idleMs: Math.round(idleMs),
    topFunctions: ranked(selfByFunction, options.top ?? 15),
    packages: ranked(selfByPackage, 12),
    groups: groups.map((group, index) => line(group.label, groupMs[index]!)),
  };
}

function stackOf(id: number, byId: Map<number, ProfileNode>, parent: Map<number, number>): CallFrame[] {
  const frames: CallFrame[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at)!.callFrame);
  return frames;
}

function inGroup(frame: CallFrame, group: FrameGroup): boolean {
  return (
    (group.functions?.includes(frame.functionName) ?? false) ||
    (group.urlIncludes?.some((part) => frame.url.includes(part)) ?? false)
  );
}

/** `name (path:line)`, paths relative to the repository. */
function describe(frame: CallFrame, root: string): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  // Code loaded through tsx reports line 0 for every function: the file alone says enough.
  const line = frame.lineNumber > 0 ? `:${frame.lineNumber + 1}` : '';
  return `${name} (${shortUrl(frame.url, root)}${line})`;
}

function shortUrl(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules !== -1) return path.slice(modules + '/node_modules/'.length);
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

/**
 * The package of the innermost frame with a URL: `kysely`, `src/api/aws`, `node internals`…
 * V8's own entries ((garbage collector), (program)) are their own package.
 */
function packageOf(stack: CallFrame[], root: string): string {
  const leaf = stack[0]!;
  if (!leaf.url && leaf.functionName.startsWith('(')) return leaf.functionName;
  const frame = stack.find((f) => f.url !== '');
  if (!frame) return '(native, no JavaScript caller)';
  const path = shortUrl(frame.url, root);
  if (path.startsWith('node:')) return 'node internals';
  if (frame.url.includes('/node_modules/')) {
    const parts = path.split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const parts = path.split('/');
  return parts.length > 2 ? `${parts.slice(0, -1).join('/')}/` : path;
}
