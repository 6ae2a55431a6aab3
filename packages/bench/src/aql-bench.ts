/**
 * W4 and W5 of the architecture's workloads: AQL answered by the CDR (parse, check,
 * compile, run in a read-only transaction, rows back) against hand-written SQL for the
 * same question on the same database and index, in the same run.
 *
 *   W4   one EHR: its ten latest blood pressures (time, systolic, diastolic)
 *   W5a  population: how many blood pressures have a systolic >= 140
 *   W5b  population: the ten highest of those systolics, with their EHR
 *
 * Usage: node packages/bench/dist/main.js [--ehrs 10000] [--runs 200] [--fresh]
 */
import { performance } from 'node:perf_hooks';
import { AqlService } from '@cdr/server/query/aql-service';
import { silentLogger } from '@cdr/server';
import type { Database } from '@cdr/store';
import { openBenchDatabase } from './bench-database.js';
import { ARCHETYPES } from './population/compositions.js';
import { loadRange, populationOptions } from './load-population.js';

const BP = ARCHETYPES.bloodPressure;
import { argument, flag, percentile, printTable } from './report.js';

const SYS = 'o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude';
const DIA = 'o/data[at0001]/events[at0006]/data[at0003]/items[at0005]/value/magnitude';
const SYS_PATH = '/data[at0001]/events[at0006]/data[at0003]/items[at0004]';
const DIA_PATH = '/data[at0001]/events[at0006]/data[at0003]/items[at0005]';

interface Workload {
  readonly id: string;
  readonly title: string;
  readonly aql: string;
  readonly parameters: (ehrId: string) => Record<string, unknown>;
  /** The same question in SQL, written by hand for the same schema. */
  readonly sql: string;
  readonly params: (ehrId: string) => unknown[];
  readonly goalMs: number;
  readonly perEhr: boolean;
}

const WORKLOADS: readonly Workload[] = [
  {
    id: 'W4',
    title: 'one EHR: ten latest blood pressures',
    aql: `SELECT c/context/start_time/value AS time, ${SYS} AS systolic, ${DIA} AS diastolic
      FROM EHR e[ehr_id/value = $ehr_id] CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}]
      ORDER BY c/context/start_time/value DESC LIMIT 10`,
    parameters: (ehrId) => ({ ehr_id: ehrId }),
    sql: `select x.data->'start_time'->'value' as time, s.magnitude as systolic, d.magnitude as diastolic
      from ehr e
      join aql_node o on o.ehr_id = e.ehr_id and o.rm_type = 'OBSERVATION' and o.archetype_node_id = $2
      join aql_node x on x.ehr_id = o.ehr_id and x.vo_id = o.vo_id and x.arch_root = 0 and x.arch_path = '/context'
      left join aql_node s on s.ehr_id = o.ehr_id and s.vo_id = o.vo_id and s.arch_root = o.num and s.arch_path = $3
      left join aql_node d on d.ehr_id = o.ehr_id and d.vo_id = o.vo_id and d.arch_root = o.num and d.arch_path = $4
      where e.ehr_id = $1
      order by x.data->'start_time'->'value' desc limit 10`,
    params: (ehrId) => [ehrId, BP, SYS_PATH, DIA_PATH],
    goalMs: 2,
    perEhr: true,
  },
  {
    id: 'W5a',
    title: 'population: COUNT of systolic >= 140',
    aql: `SELECT COUNT(*) FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}] WHERE ${SYS} >= 140`,
    parameters: () => ({}),
    sql: `select count(*) from aql_node s join ehr e on e.ehr_id = s.ehr_id
      where s.arch_id = $1 and s.arch_path = $2 and e.is_queryable and s.magnitude >= 140`,
    params: () => [BP, SYS_PATH],
    goalMs: 100,
    perEhr: false,
  },
  {
    id: 'W5b',
    title: 'population: ORDER BY systolic DESC LIMIT 10',
    aql: `SELECT e/ehr_id/value, ${SYS} AS systolic FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}]
      WHERE ${SYS} >= 140 ORDER BY systolic DESC LIMIT 10`,
    parameters: () => ({}),
    sql: `select s.ehr_id, s.magnitude as systolic from aql_node s join ehr e on e.ehr_id = s.ehr_id
      where s.arch_id = $1 and s.arch_path = $2 and e.is_queryable and s.magnitude >= 140
      order by s.magnitude desc limit 10`,
    params: () => [BP, SYS_PATH],
    goalMs: 100,
    perEhr: false,
  },
];

/** Runs a workload `runs` times after as many warm-up runs (plans cached, code compiled by V8), on varying EHRs. */
async function measure(run: (ehrId: string) => Promise<unknown>, ehrIds: readonly string[], runs: number): Promise<number[]> {
  for (let i = 0; i < runs; i += 1) {
    await run(ehrIds[(i * 104_729) % ehrIds.length] as string);
  }
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const ehrId = ehrIds[(i * 7919) % ehrIds.length] as string;
    const started = performance.now();
    await run(ehrId);
    samples.push(performance.now() - started);
  }
  return samples;
}

async function main(): Promise<void> {
  const ehrs = Number(argument('--patients') ?? 4_000);
  const runs = Number(argument('--runs') ?? 300);
  const log = (line: string) => console.log(line);
  const bench = await openBenchDatabase({ fresh: flag('--fresh') });
  const have = await bench.db.query<{ n: number }>('select count(*)::int as n from ehr');
  if ((have.rows[0]?.n ?? 0) === 0) {
    log(`generating and importing ${ehrs} patients ...`);
    await loadRange(bench, populationOptions(42), { from: 0, to: ehrs });
    await bench.db.query('vacuum analyze');
  }
  try {
    const db: Database = bench.db;
    const service = new AqlService(db, 'bench.cdr.local', { defaultFetch: 1000, maxFetch: 10_000, timeoutMs: 60_000 }, silentLogger());
    const sample = await db.query<{ ehr_id: string }>('select ehr_id from ehr order by ehr_id');
    const ehrIds = sample.rows.map((r) => r.ehr_id);
    const compositions = await db.query<{ n: number }>("select count(*)::int as n from versioned_object where rm_type = 'COMPOSITION'");
    const rows: string[][] = [];
    for (const workload of WORKLOADS) {
      const count = workload.perEhr ? runs : Math.max(5, Math.round(runs / 20));
      const ours = await measure((ehrId) => service.execute({ q: workload.aql, parameters: workload.parameters(ehrId) }), ehrIds, count);
      const reference = await measure((ehrId) => db.query(workload.sql, workload.params(ehrId)), ehrIds, count);
      const p50 = percentile(ours, 0.5);
      const ref50 = percentile(reference, 0.5);
      rows.push([
        workload.id,
        workload.title,
        p50.toFixed(2),
        percentile(ours, 0.95).toFixed(2),
        ref50.toFixed(2),
        (p50 / ref50).toFixed(2),
        `${p50 <= workload.goalMs ? 'met' : 'MISSED'} (<= ${workload.goalMs} ms)`,
      ]);
    }
    console.log(`\n${ehrIds.length} EHRs, ${compositions.rows[0]?.n} compositions; ${bench.description}\n`);
    printTable(['id', 'workload', 'AQL p50 ms', 'AQL p95 ms', 'SQL p50 ms', 'ratio', 'goal'], rows);
    console.log('\nratio = AQL p50 / hand-written SQL p50 (goal <= 1.5); AQL includes parsing, checks, compilation and the transaction.');
  } finally {
    await bench.close();
  }
}

await main();
