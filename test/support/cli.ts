import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = new URL('../../', import.meta.url).pathname;
let bundled: Promise<string> | undefined;
/** Packages with a compiled addon (or an optional one they try to load): loaded from node_modules. */
const NATIVE_PACKAGES = ['better-sqlite3', 'pg-native'];

/**
 * The `tandem` command from source, bundled once per test process into one ES module together with
 * the packages it imports (except native addons, which cannot be bundled). A process started from
 * it spends about half the CPU time of one that loads the packages file by file from node_modules
 * (0.7 s against 1.4 s for `tandem --version` here), which matters for tests that run the CLI many
 * times on a loaded machine.
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
      external: NATIVE_PACKAGES,
      // CommonJS packages inside an ES module bundle still call require() and read __dirname.
      banner: {
        js: [
          "import { createRequire as __tandemCreateRequire } from 'node:module';",
          "import { dirname as __tandemDirname } from 'node:path';",
          "import { fileURLToPath as __tandemFileURLToPath } from 'node:url';",
          'const require = __tandemCreateRequire(import.meta.url);',
          'const __filename = __tandemFileURLToPath(import.meta.url);',
          'const __dirname = __tandemDirname(__filename);',
        ].join('\n'),
      },
      outfile,
      logLevel: 'error',
    });
    return outfile;
  })();
  return bundled.then((file) => [file, ...args]);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `tandem …args` in a child process on a store (data dir and, for PostgreSQL, its URL), with
 * none of this process's TANDEM_* settings except those in `env`; `stdin` is piped in.
 */
export async function runTandem(
  store: { dataDir: string; databaseUrl?: string | undefined },
  args: string[],
  options: { env?: Record<string, string>; stdin?: string; cwd?: string } = {},
): Promise<CliResult> {
  const { spawn } = await import('node:child_process');
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TANDEM_')) env[name] = value;
  env.TANDEM_DATA_DIR = store.dataDir;
  if (store.databaseUrl) env.TANDEM_DATABASE_URL = store.databaseUrl;
  Object.assign(env, options.env);
  const argv = await cliArgs(...args);
  return new Promise((resolvePromise, reject) => {
    // cwd is the data dir, so no tandem.config.json of the repository can apply.
    const child = spawn(process.execPath, argv, { cwd: options.cwd ?? store.dataDir, env, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
