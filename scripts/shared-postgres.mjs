// The throwaway PostgreSQL of scripts/postgres.sh, shared by the test and benchmark runners.
//
// Several runs (developers sharing a machine, a test run beside a benchmark) may use one server:
// each registers its pid in a holders folder, and the last one out stops a server that a runner
// started. A server started by hand is never stopped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const POSTGRES_SCRIPT = join(resolve(dirname(fileURLToPath(import.meta.url))), 'postgres.sh');

export function postgresInstalled() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return false;
  return readdirSync(base).some((version) => existsSync(join(base, version, 'bin', 'pg_ctl')));
}

function postgresScript(command) {
  return spawnSync('bash', [POSTGRES_SCRIPT, command], { encoding: 'utf8', env: process.env, timeout: 120_000 });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** `say` prints a runner's message. */
export function sharedPostgres(say) {
  const pgPort = process.env.TANDEM_TEST_PG_PORT || '55432';
  const holdersDir = `/tmp/tandem-pg-${pgPort}.holders`;
  const startedMarker = join(holdersDir, 'started-by-test-run');
  const ownHolder = join(holdersDir, String(process.pid));

  function otherLiveHolders() {
    if (!existsSync(holdersDir)) return [];
    return readdirSync(holdersDir)
      .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
      .filter((name) => {
        if (isAlive(Number(name))) return true;
        rmSync(join(holdersDir, name), { force: true });
        return false;
      });
  }

  function release() {
    rmSync(ownHolder, { force: true });
    if (!existsSync(startedMarker)) return;
    const others = otherLiveHolders();
    if (others.length > 0) {
      say(`leaving PostgreSQL running for ${others.length} other run(s)`);
      return;
    }
    unlinkSync(startedMarker);
    const stopped = postgresScript('stop');
    if (stopped.status !== 0) say(`scripts/postgres.sh stop failed: ${stopped.stderr.trim()}`);
  }

  /** Starts (or joins) the server. Returns `{ url, startedNow }`, or `{ error }`. */
  function acquire() {
    mkdirSync(holdersDir, { recursive: true });
    writeFileSync(ownHolder, '');
    const wasRunning = postgresScript('status').status === 0;
    // Marked before starting, so that a run killed halfway still leaves the server to be stopped.
    if (!wasRunning) writeFileSync(startedMarker, String(process.pid));
    const started = postgresScript('start');
    if (started.status !== 0) {
      release();
      return { error: `scripts/postgres.sh start failed (exit ${started.status}):\n${started.stderr}${started.stdout}` };
    }
    return { url: started.stdout.trim().split('\n').pop(), startedNow: !wasRunning };
  }

  return { acquire, release };
}
