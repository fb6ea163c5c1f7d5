/**
 * Drives a server with autocannon from this process: a fixed number of connections for a fixed
 * time, every request built by `nextRequest()` (so bodies can be unique and signed), every
 * response time recorded with sub-millisecond resolution (latency.ts).
 *
 * @example
 * const pool = new RequestPool(requests, { cycle: true });
 * const result = await runLoad({ url: echo.url, connections: 50, durationSeconds: 10, nextRequest: () => pool.next() });
 * result.requestsPerSecond; result.latency.p99Ms; result.non2xx;
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { LatencySamples, round, type LatencySummary } from './latency.js';

/** One HTTP request as autocannon writes it (it adds Content-Length and Connection itself). */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** Include `host` when it was signed: autocannon then sends it as given. */
  headers: Record<string, string>;
  body: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Called once per request autocannon builds (a few more than it sends: one per connection is left unsent at the end). */
  nextRequest: () => RequestSpec;
  /** Every response's status and body. */
  onResponse?: (status: number, body: string) => void;
  /** Per-request timeout. @defaultValue `10` */
  timeoutSeconds?: number;
  /** The server's process ids (several for a multi-process Tandem), to report their CPU use during the run (Linux `/proc`). */
  serverPids?: number[];
  /** Database server processes working for this server (PostgreSQL backends), likewise. */
  databasePids?: number[];
}

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  /** Requests written to a socket. */
  sent: number;
  /** Completed responses, any status. */
  responses: number;
  /** Completed responses per second of the run. */
  requestsPerSecond: number;
  status2xx: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** Socket errors; timeouts are counted separately. */
  errors: number;
  timeouts: number;
  /** Every completed response, from our own samples. */
  latency: LatencySummary;
  /** autocannon's whole-millisecond histogram, for comparison with other autocannon figures. */
  autocannonLatencyMs: { p50: number; p99: number; mean: number };
  /**
   * CPU time used during the run per second of wall time, in % of one core: this process (the
   * load generator), the server's process, and the database processes given. Far below 100% for
   * the server means the machine was busy with something else, or the server waited.
   */
  cpuPercent: { loadGenerator: number; server: number | undefined; database: number | undefined };
  /** The same as CPU seconds. */
  cpuSeconds: { loadGenerator: number; server: number | undefined; database: number | undefined };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const samples = new LatencySamples();
  let instance!: autocannon.Instance;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({
      url: options.url,
      connections: options.connections,
      duration: options.durationSeconds,
      pipelining: 1,
      timeout: options.timeoutSeconds ?? 10,
      requests: [
        {
          setupRequest: (request) => {
            const next = options.nextRequest();
            // A fresh headers object: autocannon writes Content-Length into the one it gets.
            return { ...request, method: next.method, path: next.path, headers: { ...next.headers }, body: next.body };
          },
          ...(options.onResponse
            ? { onResponse: (status: number, body: string) => options.onResponse!(status, body) }
            : {}),
        },
      ],
    }, (error, result) => (error ? reject(error) : resolve(result)));
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => samples.add(responseTime));
  const cpuBefore = process.cpuUsage();
  const serverBefore = processCpuSeconds(options.serverPids ?? []);
  const databaseBefore = processCpuSeconds(options.databasePids ?? []);
  const wallBefore = performance.now();
  const result = await finished;
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  const cpuUsed = process.cpuUsage(cpuBefore);
  const since = (before: number | undefined, after: number | undefined) =>
    before !== undefined && after !== undefined ? round(after - before, 2) : undefined;
  const cpuSeconds = {
    loadGenerator: round((cpuUsed.user + cpuUsed.system) / 1e6, 2),
    server: since(serverBefore, processCpuSeconds(options.serverPids ?? [])),
    database: since(databaseBefore, processCpuSeconds(options.databasePids ?? [])),
  };
  const percent = (seconds: number | undefined) => (seconds === undefined ? undefined : Math.round((seconds / wallSeconds) * 100));
  const cpuPercent = {
    loadGenerator: percent(cpuSeconds.loadGenerator)!,
    server: percent(cpuSeconds.server),
    database: percent(cpuSeconds.database),
  };
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCodes[code] = (stats as { count: number }).count;
  }
  const responses = samples.count;
  return {
    connections: options.connections,
    durationSeconds: round(result.duration, 3),
    sent: result.requests.sent,
    responses,
    requestsPerSecond: Math.round(responses / result.duration),
    status2xx: result['2xx'],
    non2xx: result.non2xx,
    statusCodes,
    errors: result.errors,
    timeouts: result.timeouts,
    latency: samples.summary(),
    autocannonLatencyMs: { p50: result.latency.p50, p99: result.latency.p99, mean: result.latency.mean },
    cpuPercent,
    cpuSeconds,
  };
}

/** User + system CPU seconds of processes, from /proc (Linux); undefined when none or unreadable. */
function processCpuSeconds(pids: number[]): number | undefined {
  if (pids.length === 0) return undefined;
  let total = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which may hold spaces, hence the last ')'): utime is the
      // 12th, stime the 13th, in clock ticks of 1/100 s (USER_HZ on Linux).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return undefined;
    }
  }
  return total;
}

/**
 * CPU time the server (and the database processes measured with it) spent per response, in µs.
 * Less sensitive to a busy machine than the rate: a starved server uses less CPU and answers
 * fewer requests alike. Undefined when the server's CPU was not measured.
 */
export function cpuMicrosPerRequest(load: LoadResult): number | undefined {
  if (load.cpuSeconds.server === undefined || load.responses === 0) return undefined;
  return Math.round(((load.cpuSeconds.server + (load.cpuSeconds.database ?? 0)) * 1e6) / load.responses);
}

/** Several runs (slices of an interleaved comparison) as one. */
export interface CombinedLoad {
  runs: number;
  responses: number;
  seconds: number;
  requestsPerSecond: number;
  non2xx: number;
  /** Mean over the runs, % of one core. */
  loadGeneratorCpuPercent: number;
  serverCpuPercent: number | undefined;
  cpuMicrosPerRequest: number | undefined;
}

export function combineLoads(results: LoadResult[]): CombinedLoad {
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const responses = sum(results.map((r) => r.responses));
  const seconds = sum(results.map((r) => r.durationSeconds));
  const server = results.map((r) => r.cpuSeconds.server);
  const serverSeconds = server.every((v) => v !== undefined) ? sum(server as number[]) + sum(results.map((r) => r.cpuSeconds.database ?? 0)) : undefined;
  return {
    runs: results.length,
    responses,
    seconds: round(seconds, 2),
    requestsPerSecond: Math.round(responses / seconds),
    non2xx: sum(results.map((r) => r.non2xx)),
    loadGeneratorCpuPercent: Math.round((sum(results.map((r) => r.cpuSeconds.loadGenerator)) / seconds) * 100),
    serverCpuPercent: serverSeconds === undefined ? undefined : Math.round((serverSeconds / seconds) * 100),
    cpuMicrosPerRequest: serverSeconds === undefined || responses === 0 ? undefined : Math.round((serverSeconds * 1e6) / responses),
  };
}

/**
 * Hands out prepared requests in order. `cycle: true` starts over at the end (the baseline,
 * where repeats are harmless); otherwise each request is used once, and when they run out
 * `fallback` builds more, counted in `fallbacks` (a run that needed any is reported).
 */
export class RequestPool<T> {
  #index = 0;
  #fallbacks = 0;
  readonly #items: readonly T[];
  readonly #options: { cycle: boolean; fallback?: () => T };

  constructor(items: readonly T[], options: { cycle: boolean; fallback?: () => T }) {
    if (items.length === 0 && !options.fallback) throw new Error('RequestPool: no requests and no fallback');
    this.#items = items;
    this.#options = options;
  }

  next(): T {
    if (this.#index < this.#items.length) return this.#items[this.#index++]!;
    if (this.#options.cycle && this.#items.length > 0) {
      this.#index = 1;
      return this.#items[0]!;
    }
    if (!this.#options.fallback) throw new Error('RequestPool: exhausted');
    this.#fallbacks++;
    return this.#options.fallback();
  }

  /** Requests handed out from the prepared list (without cycling). */
  get used(): number {
    return this.#index;
  }

  get fallbacks(): number {
    return this.#fallbacks;
  }
}
