/** The benchmark's results: a printed table and `bench/results/latest.json`. */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '@cdr/rm/testing/shared';

export interface Figure {
  readonly value: number;
  /** `ms` (a p50 latency), or a rate such as `commits/s`. */
  readonly unit: string;
  readonly p95?: number;
}

export interface Scale {
  readonly compositions: number;
  readonly patients: number;
}

export interface ResultRow {
  readonly id: string;
  readonly workload: string;
  readonly ours: Figure;
  readonly reference: Figure & { readonly what: string };
  /** ours / reference: for latencies lower is better, for rates higher is better. */
  readonly ratio: number;
  readonly goal: string;
  readonly pass: boolean;
  readonly scale: Scale;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface GrowthPoint {
  readonly workload: string;
  readonly scale: Scale;
  readonly ours: number;
  readonly reference: number;
}

export interface BenchReport {
  readonly date: string;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly memoryGiB: number; readonly node: string; readonly postgres: string; readonly database: string };
  readonly scale: Scale & { readonly requested: number; readonly seed: number; readonly years: number };
  readonly rows: readonly ResultRow[];
  readonly growth: readonly GrowthPoint[];
  readonly seconds: number;
}

export const RESULTS_FILE = join(projectRoot, 'bench', 'results', 'latest.json');

export function machine(postgres: string, database: string): BenchReport['machine'] {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres,
    database,
  };
}

function pct(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${Math.round(value * 100)}%` : '?';
}

export function formatFigure(figure: Figure): string {
  if (figure.unit === 'ms') {
    const digits = figure.value < 10 ? 2 : figure.value < 100 ? 1 : 0;
    return `${figure.value.toFixed(digits)} ms${figure.p95 === undefined ? '' : ` (p95 ${figure.p95.toFixed(digits)})`}`;
  }
  return `${Math.round(figure.value).toLocaleString('en-GB')} ${figure.unit}`;
}

function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) {
    console.log(line(row));
  }
}

export function printReport(report: BenchReport): void {
  console.log(
    `\n${report.date}  scale: ${report.scale.compositions.toLocaleString('en-GB')} compositions, ${report.scale.patients.toLocaleString('en-GB')} patients` +
      `  machine: ${report.machine.cpus} CPUs (${report.machine.cpuModel}), ${report.machine.memoryGiB} GiB, Node ${report.machine.node}, ${report.machine.postgres} (${report.machine.database})\n`,
  );
  printTable(
    ['id', 'workload', 'ours', 'reference', 'ratio', 'goal', 'result'],
    report.rows.map((r) => [
      r.id,
      r.workload,
      formatFigure(r.ours),
      `${formatFigure(r.reference)} ${r.reference.what}`,
      `${r.ratio.toFixed(2)}x`,
      r.goal,
      r.pass ? 'pass' : 'FAIL',
    ]),
  );
  const cpu = report.rows.filter((r) => r.details && typeof r.details.loadGeneratorCpu === 'number');
  if (cpu.length > 0) {
    console.log(
      `\nCPU over the HTTP runs (share of one core): ${cpu
        .map((r) => `${r.id} load generator ${pct(r.details?.loadGeneratorCpu)}, server ${pct(r.details?.serverCpu)}`)
        .join('; ')}`,
    );
  }
  if (report.growth.length > 0) {
    console.log('\ngrowth (p50 ms, ours / reference):');
    const byWorkload = new Map<string, GrowthPoint[]>();
    for (const point of report.growth) {
      byWorkload.set(point.workload, [...(byWorkload.get(point.workload) ?? []), point]);
    }
    for (const [workload, points] of byWorkload) {
      console.log(
        `  ${workload.padEnd(5)} ${points
          .map((p) => `${p.scale.compositions.toLocaleString('en-GB')} comp./${p.scale.patients.toLocaleString('en-GB')} pat.: ${p.ours.toFixed(2)} / ${p.reference.toFixed(2)}`)
          .join('   ')}`,
      );
    }
  }
  console.log(`\nfinished in ${Math.round(report.seconds)} s; written to ${RESULTS_FILE}`);
}

export async function writeReport(report: BenchReport, file = RESULTS_FILE): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}
