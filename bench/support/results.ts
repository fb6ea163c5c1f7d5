/**
 * Benchmark results as JSON: `bench/results/<name>-<timestamp>.json` plus
 * `bench/results/<name>-latest.json`, each with the machine it ran on.
 *
 * @example
 * const files = await writeResults('start-human-loop', { machine: machineInfo(), runs });
 * // → ['bench/results/start-human-loop-2026-01-31T10-00-00Z.json', 'bench/results/start-human-loop-latest.json']
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

export interface MachineInfo {
  date: string;
  cpus: number;
  cpuModel: string;
  totalMemoryMb: number;
  /** 1, 5 and 15 minute load averages when the run started: a busy neighbour shows here. */
  loadAverage: number[];
  node: string;
  platform: string;
  arch: string;
  hostname: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryMb: Math.round(os.totalmem() / 1024 / 1024),
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
    node: process.version,
    platform: os.platform(),
    arch: os.arch(),
    hostname: os.hostname(),
  };
}

/** `2026-01-31T10-00-00Z`: sortable, and valid in file names everywhere. */
export function fileTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

/** Writes the two files and returns their paths relative to the working directory. */
export async function writeResults(name: string, data: unknown, options: { dir?: string; date?: Date } = {}): Promise<string[]> {
  const dir = options.dir ?? RESULTS_DIR;
  await mkdir(dir, { recursive: true });
  const text = `${JSON.stringify(data, null, 2)}\n`;
  const files = [join(dir, `${name}-${fileTimestamp(options.date)}.json`), join(dir, `${name}-latest.json`)];
  for (const file of files) await writeFile(file, text);
  return files.map((file) => relative(process.cwd(), file));
}

export interface SourceState {
  /** The commit checked out (read from .git, no git command), or undefined outside a repository. */
  commit: string | undefined;
  /** SHA-256 over the paths and contents of every file under `dirs`: what was measured, committed or not. */
  fingerprint: string;
  files: number;
}

/** Identifies the code a benchmark measured, including uncommitted edits. */
export async function sourceState(root: string, dirs: string[] = ['src']): Promise<SourceState> {
  const hash = createHash('sha256');
  let files = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        hash.update(`${path}\0`).update(await readFile(join(root, path))).update('\0');
        files++;
      }
    }
  };
  for (const dir of dirs) await walk(dir);
  return { commit: await headCommit(root), fingerprint: hash.digest('hex').slice(0, 16), files };
}

async function headCommit(root: string): Promise<string | undefined> {
  try {
    const head = (await readFile(join(root, '.git', 'HEAD'), 'utf8')).trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    try {
      return (await readFile(join(root, '.git', ref), 'utf8')).trim();
    } catch {
      const packed = await readFile(join(root, '.git', 'packed-refs'), 'utf8');
      return packed.split('\n').find((line) => line.endsWith(` ${ref}`))?.split(' ')[0];
    }
  } catch {
    return undefined;
  }
}
