import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compareKeys, type ListOptions } from './object-store.js';

export type TreeEntry = { kind: 'object'; key: string } | { kind: 'prefix'; prefix: string };

/**
 * The keys of the files under `bucketDir`, in S3's order, without reading folders that cannot
 * contribute. A folder `d` holds exactly the keys that start with `d/`, so it sorts as `d/`
 * among its siblings; it is skipped when its keys all lie before `startAfter` or outside
 * `prefix`, and reported as one common prefix without being read when the delimiter rolls all
 * of its keys into one.
 */
export async function* listDirectoryTree(bucketDir: string, options: ListOptions): AsyncIterable<TreeEntry> {
  const { prefix, delimiter, startAfter } = options;
  let lastPrefix: string | undefined;

  async function* walk(directory: string, keyPrefix: string): AsyncIterable<TreeEntry> {
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch {
      return;
    }
    const named = entries
      .filter((entry) => entry.isDirectory() || entry.isFile())
      .map((entry) => ({ entry, name: keyPrefix + entry.name + (entry.isDirectory() ? '/' : '') }))
      .sort((a, b) => compareKeys(a.name, b.name));
    for (const { entry, name } of named) {
      if (entry.isDirectory()) {
        if (!name.startsWith(prefix) && !prefix.startsWith(name)) continue;
        if (startAfter !== undefined && compareKeys(name, startAfter) < 0 && !startAfter.startsWith(name)) continue;
        const rolled = commonPrefixOf(name);
        if (rolled !== undefined && name.startsWith(rolled)) {
          if (rolled !== lastPrefix && (startAfter === undefined || compareKeys(rolled, startAfter) > 0)) {
            lastPrefix = rolled;
            yield { kind: 'prefix', prefix: rolled };
          }
          continue;
        }
        yield* walk(join(directory, entry.name), name);
      } else {
        if (!name.startsWith(prefix)) continue;
        if (startAfter !== undefined && compareKeys(name, startAfter) <= 0) continue;
        const rolled = commonPrefixOf(name);
        if (rolled !== undefined) {
          if (rolled !== lastPrefix && (startAfter === undefined || compareKeys(rolled, startAfter) > 0)) {
            lastPrefix = rolled;
            yield { kind: 'prefix', prefix: rolled };
          }
          continue;
        }
        yield { kind: 'object', key: name };
      }
    }
  }

  /** The common prefix a key (or folder `d/`) is rolled into, or undefined when it is listed itself. */
  function commonPrefixOf(name: string): string | undefined {
    if (!delimiter || !name.startsWith(prefix)) return undefined;
    const at = name.indexOf(delimiter, prefix.length);
    return at === -1 ? undefined : name.slice(0, at + delimiter.length);
  }

  yield* walk(bucketDir, '');
}
