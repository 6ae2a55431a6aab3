/** Timing of work run in the benchmark's own process (the references). */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';

export interface Timing {
  readonly count: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p95: number;
  /** The benchmark process's CPU over the run, as a share of one core. */
  readonly cpuShare: number;
}

export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) {
    return Number.NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

/**
 * Runs `work(i)` with `concurrency` loops for `amount` operations in all (or `seconds`),
 * after `warmup` unrecorded operations.
 */
export async function time(
  work: (i: number) => Promise<unknown>,
  options: { concurrency: number; warmup: number; amount?: number; seconds?: number },
): Promise<Timing> {
  let next = 0;
  for (let i = 0; i < options.warmup; i += 1) {
    await work(next);
    next += 1;
  }
  const samples: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const until = options.seconds === undefined ? Number.POSITIVE_INFINITY : started + options.seconds * 1000;
  const limit = options.amount ?? Number.POSITIVE_INFINITY;
  let issued = 0;
  const loop = async (): Promise<void> => {
    while (issued < limit && performance.now() < until) {
      issued += 1;
      const i = next;
      next += 1;
      const t0 = performance.now();
      await work(i);
      samples.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    count: samples.length,
    seconds,
    perSecond: samples.length / seconds,
    p50: percentile(samples, 0.5),
    p95: percentile(samples, 0.95),
    cpuShare: (cpu.user + cpu.system) / 1000 / (seconds * 1000),
  };
}

/**
 * A reference statement as a competent hand-written data layer runs it: prepared (named), so
 * each connection plans it once, as the CDR's AQL statements are.
 */
export function prepared(text: string): (client: Pick<pg.Pool, 'query'> | pg.ClientBase, values: unknown[]) => Promise<pg.QueryResult> {
  let name = names.get(text);
  if (name === undefined) {
    name = `bench_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  const statement = name;
  return (client, values) => client.query({ name: statement, text, values });
}

const names = new Map<string, string>();
