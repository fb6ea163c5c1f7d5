import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = new URL('../../', import.meta.url).pathname;
let bundled: Promise<string> | undefined;

/**
 * The `tandem` command from source, bundled once per test process into one ES module (imports
 * of packages stay external). Spawning `node <bundle>` starts in about half the time of
 * `node --import tsx`, which matters for tests that run the CLI many times on a loaded machine.
 */
export function cliArgs(...args: string[]): Promise<string[]> {
  bundled ??= (async () => {
    const outdir = join(ROOT, '.tmp');
    await mkdir(outdir, { recursive: true });
    const outfile = join(outdir, `tandem-cli-${process.pid}.mjs`);
    await build({
      entryPoints: [join(ROOT, 'test', 'cli', 'run-cli.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile,
      logLevel: 'warning',
    });
    return outfile;
  })();
  return bundled.then((file) => [file, ...args]);
}
