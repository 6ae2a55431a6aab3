/**
 * The HTTP load generator, run as a process of its own so that its work is not the
 * measured server's: autocannon with a fixed list of requests (each connection cycles
 * through it), a warm-up, then the measured run. Prints one JSON line: requests, status
 * codes, throughput, latency percentiles from every response, and its own CPU use.
 *
 *   node load-generator.js <spec.json>
 */
import { readFileSync } from 'node:fs';
import autocannon, { type AutocannonRequest } from 'autocannon';

export interface LoadSpec {
  readonly url: string;
  readonly connections: number;
  /** Measured requests (or a duration in seconds). */
  readonly amount?: number;
  readonly duration?: number;
  readonly warmup: number;
  readonly requests: readonly AutocannonRequest[];
}

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly mean: number;
  /** The load generator's CPU time over the measured run, in ms, and as a share of one core. */
  readonly cpuMs: number;
  readonly cpuShare: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

async function run(spec: LoadSpec, amount: number | undefined, duration: number | undefined, record: boolean): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    ...(amount === undefined ? { duration: duration ?? 10 } : { amount }),
    timeout: 60,
    requests: [...spec.requests],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, time: number) => {
    if (record) {
      latencies.push(time);
    }
    statusCodes[status] = (statusCodes[status] ?? 0) + 1;
  });
  const result = await instance;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  latencies.sort((a, b) => a - b);
  const total = latencies.length;
  return {
    requests: total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    seconds,
    perSecond: total / seconds,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    mean: total === 0 ? Number.NaN : latencies.reduce((a, b) => a + b, 0) / total,
    cpuMs,
    cpuShare: cpuMs / (seconds * 1000),
  };
}

const spec = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as LoadSpec;
if (spec.warmup > 0) {
  await run(spec, spec.warmup, undefined, false);
}
const result = await run(spec, spec.amount, spec.duration, true);
process.stdout.write(`${JSON.stringify(result)}\n`);
