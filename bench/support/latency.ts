/**
 * Latency statistics with sub-millisecond resolution. autocannon's own histogram keeps whole
 * milliseconds (its HDR histogram's lowest discernible value is 1), too coarse for servers that
 * answer in under a millisecond, so benchmarks record every response time here as well.
 *
 * @example
 * const samples = new LatencySamples();
 * samples.add(0.42); samples.add(1.7);
 * samples.summary(); // { count: 2, meanMs: 1.06, p50Ms: 0.42, … }
 */

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** A growable list of durations in milliseconds. */
export class LatencySamples {
  #values = new Float64Array(1 << 16);
  #count = 0;

  add(milliseconds: number): void {
    if (this.#count === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#count++] = milliseconds;
  }

  get count(): number {
    return this.#count;
  }

  summary(): LatencySummary {
    const sorted = this.#values.slice(0, this.#count).sort();
    let sum = 0;
    for (const value of sorted) sum += value;
    return {
      count: sorted.length,
      meanMs: round(sorted.length === 0 ? 0 : sum / sorted.length),
      p50Ms: round(percentile(sorted, 50)),
      p90Ms: round(percentile(sorted, 90)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted.length === 0 ? 0 : sorted[sorted.length - 1]!),
    };
  }
}

/** Nearest-rank percentile of ascending `sorted` values; 0 when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface PerCallCost {
  calls: number;
  /** Median over the batches, in microseconds per call. */
  microsPerCall: number;
  /** Calls per second one core sustains at that cost. */
  callsPerSecond: number;
}

/**
 * Times a synchronous or asynchronous function: a warm-up batch, then `batches` batches of
 * `batchSize` calls; the median batch gives the cost per call (robust to a noisy neighbour).
 */
export async function timePerCall(
  fn: (index: number) => unknown,
  { batchSize = 1_000, batches = 7 }: { batchSize?: number; batches?: number } = {},
): Promise<PerCallCost> {
  let index = 0;
  const runBatch = async () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batchSize; i++) {
      const result = fn(index++);
      if (result instanceof Promise) await result;
    }
    return Number(process.hrtime.bigint() - start) / 1_000 / batchSize;
  };
  await runBatch();
  const costs: number[] = [];
  for (let b = 0; b < batches; b++) costs.push(await runBatch());
  costs.sort((a, b) => a - b);
  const micros = percentile(costs, 50);
  return { calls: index, microsPerCall: round(micros), callsPerSecond: Math.round(1_000_000 / micros) };
}

/** Three decimals: microsecond resolution for millisecond figures. */
export function round(value: number, decimals = 3): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
