/**
 * `npm run bench`: the architecture's workloads W1-W6 on a fresh database and a generated
 * population, each against its reference measured in the same run on the same database.
 *
 *   npm run bench -- [--scale 40k|100k|1m|<n>] [--seed 42] [--years 2] [--seconds 10] [--keep]
 *
 * The population is loaded in steps through the bulk import: W2 is the first step (up to
 * 10,000 compositions) against COPY of the same rows; W5 is measured at 10k, 100k and 1M
 * compositions (as far as the scale goes) and W6 at 1k, 2k, 4k, 8k and 16k patients; at
 * the full scale W3, W4, W5, W6 and finally W1 (which writes). Results: a table, and
 * bench/results/latest.json. The database (cdr_bench on DATABASE_URL's server, or the
 * embedded PostgreSQL in .cdr/bench) is emptied at the end unless --keep.
 */
import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { dropBenchDatabase, openBenchDatabase } from './bench-database.js';
import { startCdrProcess, type CdrProcess } from './http/server-process.js';
import { SYSTEM_ID, importRange, populationOptions, writeRange } from './load-population.js';
import { stableUuid } from './population/random.js';
import { machine, printReport, writeReport, type GrowthPoint, type ResultRow, type Scale } from './results.js';
import { runW1, vitalSignsBodies } from './workloads/w1-commit.js';
import { runW2 } from './workloads/w2-import.js';
import { runW3, sampleVersions } from './workloads/w3-read.js';
import { AQL_WORKLOADS, aqlService, runAql, type AqlResult } from './workloads/w4-w5-aql.js';
import { runW6 } from './workloads/w6-fhir.js';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function amount(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.replace(/_/g, ''));
  if (!match) {
    throw new Error(`--scale takes a number of compositions such as 20000, 100k or 1m, not '${text}'`);
  }
  const factor = { '': 1, k: 1_000, m: 1_000_000 }[(match[2] ?? '').toLowerCase()] as number;
  return Math.round(Number(match[1]) * factor);
}

export const DEFAULT_SCALE = 40_000;
const W2_COMPOSITIONS = 10_000;
const W5_STEPS = [10_000, 100_000, 1_000_000];
const W6_STEPS = [1_000, 2_000, 4_000, 8_000, 16_000];
/** W6 searches blood pressures recorded since this date (the last of the population's two years). */
const W6_SINCE = '2024-01-01';

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main(): Promise<void> {
  const started = performance.now();
  const scale = amount(option('scale') ?? String(DEFAULT_SCALE));
  const seed = Number(option('seed') ?? 42);
  const years = Number(option('years') ?? 2);
  const seconds = Number(option('seconds') ?? 10);
  const keep = process.argv.includes('--keep');
  const population = populationOptions(seed, years);
  const bench = await openBenchDatabase({ fresh: true, poolSize: 12 });
  const version = await bench.db.query<{ v: string }>("select split_part(version(), ' on ', 1) as v");
  log(`benchmark at ${scale.toLocaleString('en-GB')} compositions on ${bench.description}`);

  const loaded = { compositions: 0, patients: 0 };
  const scaleNow = (): Scale => ({ ...loaded });
  const rows: ResultRow[] = [];
  const growth: GrowthPoint[] = [];
  let server: CdrProcess | undefined;
  try {
    // ---------------------------------------------------------------- W2: the first step
    const first = await writeRange(population, { from: 0, to: Number.MAX_SAFE_INTEGER, stopAfterCompositions: Math.min(scale, W2_COMPOSITIONS) }, 'w2');
    const w2 = await runW2(bench, first.file, log);
    await rm(first.file, { force: true });
    loaded.compositions += w2.ours.counts.compositionsCreated;
    loaded.patients += w2.ours.counts.ehrsCreated;
    rows.push({
      id: 'W2',
      workload: `bulk import of ${w2.compositions.toLocaleString('en-GB')} compositions (checked, indexed)`,
      ours: { value: w2.oursPerSecond, unit: 'compositions/s' },
      reference: { value: w2.copyPerSecond, unit: 'compositions/s', what: 'COPY of the same rows' },
      ratio: w2.oursPerSecond / w2.copyPerSecond,
      goal: '>= 0.5x COPY',
      pass: w2.oursPerSecond >= 0.5 * w2.copyPerSecond,
      scale: scaleNow(),
      details: { importSeconds: w2.ours.seconds, copySeconds: w2.copySeconds, rowsCopied: w2.rows, ehrs: w2.ours.counts.ehrsCreated },
    });
    let nextPatient = first.nextPatient;
    await bench.db.query('vacuum analyze');

    server = await startCdrProcess(bench.url, SYSTEM_ID);
    const service = aqlService(bench.db, SYSTEM_ID);
    const patientIds = (count: number) => Array.from({ length: Math.min(count, loaded.patients) }, (_, i) => stableUuid(seed, i, 'ehr'));
    const w5Done = new Set<number>();
    const w6Done = new Set<number>();
    const measureSteps = async (final: boolean) => {
      for (const step of W5_STEPS.filter((s) => s <= loaded.compositions && !w5Done.has(s))) {
        w5Done.add(step);
        for (const workload of AQL_WORKLOADS.filter((w) => w.id !== 'W4')) {
          const result = await runAql(service, bench.db, workload, patientIds(1000), 40);
          growth.push({ workload: workload.id, scale: scaleNow(), ours: result.ours.p50, reference: result.reference.p50 });
          log(`${workload.id} at ${loaded.compositions} compositions: ${result.ours.p50.toFixed(1)} ms (SQL ${result.reference.p50.toFixed(1)} ms)`);
        }
      }
      for (const step of W6_STEPS.filter((s) => s <= loaded.patients && !w6Done.has(s))) {
        w6Done.add(step);
        const result = await runW6(bench.db, server as CdrProcess, { ehrIds: patientIds(200), since: W6_SINCE, amount: 300 });
        growth.push({ workload: 'W6', scale: scaleNow(), ours: result.ours.p50, reference: result.reference.p50 });
        log(`W6 at ${loaded.patients} patients: ${result.ours.p50.toFixed(1)} ms (SQL ${result.reference.p50.toFixed(1)} ms)`);
      }
      void final;
    };
    await measureSteps(false);

    // ---------------------------------------------------------------- the rest of the population, in steps
    while (loaded.compositions < scale) {
      const nextComposition = [...W5_STEPS.filter((s) => s > loaded.compositions && s < scale), scale][0] as number;
      const nextPatients = W6_STEPS.find((s) => s > loaded.patients);
      const range = await writeRange(
        population,
        { from: nextPatient, to: nextPatients === undefined ? Number.MAX_SAFE_INTEGER : nextPatient + (nextPatients - loaded.patients), stopAfterCompositions: nextComposition - loaded.compositions },
        `step-${nextPatient}`,
      );
      log(`loading patients ${nextPatient} to ${range.nextPatient - 1} (${range.compositions} compositions) ...`);
      const summary = await importRange(bench, range.file);
      await rm(range.file, { force: true });
      loaded.compositions += summary.counts.compositionsCreated;
      loaded.patients += summary.counts.ehrsCreated;
      nextPatient = range.nextPatient;
      log(`loaded: ${loaded.compositions} compositions, ${loaded.patients} patients (${Math.round(summary.counts.compositionsCreated / summary.seconds)} compositions/s)`);
      await bench.db.query('vacuum analyze');
      await measureSteps(false);
    }

    // ---------------------------------------------------------------- at full scale
    const final = scaleNow();
    const versions = await sampleVersions(bench.db, 500);
    const w3 = await runW3(bench.db, server, versions, 3000, log);
    rows.push({
      id: 'W3',
      workload: 'GET composition by version uid (REST, concurrency 1)',
      ours: { value: w3.ours.p50, unit: 'ms', p95: w3.ours.p95 },
      reference: { value: w3.reference.p50, unit: 'ms', p95: w3.reference.p95, what: 'primary-key SELECT' },
      ratio: w3.ours.p50 / w3.reference.p50,
      goal: '<= 1.5x',
      pass: w3.ours.p50 <= 1.5 * w3.reference.p50,
      scale: final,
      details: { loadGeneratorCpu: w3.ours.cpuShare, serverCpu: w3.serverCpuShare, requests: w3.ours.requests },
    });

    const aql: AqlResult[] = [];
    for (const workload of AQL_WORKLOADS) {
      aql.push(await runAql(service, bench.db, workload, patientIds(1000), workload.id === 'W4' ? 500 : 40, server));
    }
    const point100k = (id: string) => growth.find((g) => g.workload === id && g.scale.compositions >= 100_000 && g.scale.compositions < 1_000_000);
    for (const result of aql) {
      const { id, title } = result.workload;
      const ratio = result.ours.p50 / result.reference.p50;
      if (id === 'W4') {
        rows.push({
          id,
          workload: title,
          ours: { value: result.ours.p50, unit: 'ms', p95: result.ours.p95 },
          reference: { value: result.reference.p50, unit: 'ms', p95: result.reference.p95, what: 'hand-written SQL' },
          ratio,
          goal: 'p50 <= 2 ms, <= 1.5x',
          pass: result.ours.p50 <= 2 && ratio <= 1.5,
          scale: final,
          details: { restP50: result.rest?.p50, restP95: result.rest?.p95, restLoadGeneratorCpu: result.rest?.cpuShare },
        });
      } else {
        if (!growth.some((g) => g.workload === id && g.scale.compositions === final.compositions)) {
          growth.push({ workload: id, scale: final, ours: result.ours.p50, reference: result.reference.p50 });
        }
        const at100k = point100k(id);
        const absolute = at100k ? at100k.ours : result.ours.p50;
        rows.push({
          id,
          workload: title,
          ours: { value: result.ours.p50, unit: 'ms', p95: result.ours.p95 },
          reference: { value: result.reference.p50, unit: 'ms', p95: result.reference.p95, what: 'hand-written SQL' },
          ratio,
          goal: `<= 100 ms at 100k${at100k ? '' : ' (here: this scale)'}, <= 1.5x`,
          pass: absolute <= 100 && ratio <= 1.5,
          scale: final,
          details: { p50At100k: at100k?.ours },
        });
      }
    }

    if (!w6Done.has(loaded.patients)) {
      const result = await runW6(bench.db, server, { ehrIds: patientIds(200), since: W6_SINCE, amount: 300 });
      growth.push({ workload: 'W6', scale: final, ours: result.ours.p50, reference: result.reference.p50 });
    }
    const w6 = await runW6(bench.db, server, { ehrIds: patientIds(200), since: W6_SINCE, amount: 500 });
    const w6Points = growth.filter((g) => g.workload === 'W6');
    const flatness = Math.max(...w6Points.map((p) => p.ours)) / Math.min(...w6Points.map((p) => p.ours));
    const reach = Math.max(...w6Points.map((p) => p.scale.patients));
    rows.push({
      id: 'W6',
      workload: 'FHIR search Observation?patient&code&date',
      ours: { value: w6.ours.p50, unit: 'ms', p95: w6.ours.p95 },
      reference: { value: w6.reference.p50, unit: 'ms', p95: w6.reference.p95, what: 'the SQL it needs' },
      ratio: w6.ours.p50 / w6.reference.p50,
      goal: `p50 <= 10 ms, flat 1k..16k patients (here ${w6Points.length} steps to ${reach.toLocaleString('en-GB')}: max/min ${flatness.toFixed(2)})`,
      pass: w6.ours.p50 <= 10 && flatness <= 1.5,
      scale: final,
      details: { flatness, steps: w6Points, loadGeneratorCpu: w6.ours.cpuShare, serverCpu: w6.serverCpuShare, entriesPerAnswer: w6.rowsPerAnswer },
    });

    // ---------------------------------------------------------------- W1 last: it writes
    const bodies = vitalSignsBodies(population, 200);
    const w1 = await runW1(bench.db, server, { ehrIds: patientIds(200), bodies, systemId: SYSTEM_ID, seconds }, log);
    const [c1, c8] = w1.ours;
    const [r1, r8] = w1.reference;
    rows.unshift(
      {
        id: 'W1a',
        workload: 'commit vital signs via REST, concurrency 1',
        ours: { value: c1.p50, unit: 'ms', p95: c1.p95 },
        reference: { value: r1.p50, unit: 'ms', p95: r1.p95, what: 'raw SQL insert' },
        ratio: c1.p50 / r1.p50,
        goal: 'p50 <= 5 ms',
        pass: c1.p50 <= 5,
        scale: final,
        details: { commitsPerSecond: c1.perSecond, rawPerSecond: r1.perSecond, loadGeneratorCpu: c1.cpuShare, serverCpu: w1.serverCpuShare[0] },
      },
      {
        id: 'W1b',
        workload: 'commit vital signs via REST, concurrency 8',
        ours: { value: c8.perSecond, unit: 'commits/s' },
        reference: { value: r8.perSecond, unit: 'commits/s', what: 'raw SQL insert' },
        ratio: c8.perSecond / r8.perSecond,
        goal: '>= 0.5x raw insert',
        pass: c8.perSecond >= 0.5 * r8.perSecond,
        scale: final,
        details: { p50: c8.p50, p95: c8.p95, rawP50: r8.p50, loadGeneratorCpu: c8.cpuShare, serverCpu: w1.serverCpuShare[1], benchProcessCpu: r8.cpuShare },
      },
    );
    const report = {
      date: new Date().toISOString(),
      machine: machine(version.rows[0]?.v ?? 'PostgreSQL', bench.description),
      scale: { ...final, requested: scale, seed, years },
      rows,
      growth,
      seconds: (performance.now() - started) / 1000,
    };
    await writeReport(report);
    printReport(report);
  } finally {
    await server?.stop();
    if (!keep) {
      await bench.db.query('drop schema public cascade').catch(() => undefined);
      await bench.db.query('create schema public').catch(() => undefined);
    }
    await bench.close();
    if (!keep) {
      await dropBenchDatabase();
    }
  }
}

await main();
