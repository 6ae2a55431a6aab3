/**
 * The measurement that chose the design of the AQL query index: the same three questions,
 * written by hand in SQL, against three candidate layouts built from the same population.
 *
 *   A  node rows with each node's own data, values read from that data
 *   A+ the same rows with ELEMENT.value.magnitude as a column of the (arch_id, arch_path)
 *      index: the index of migrations/002_aql_index.sql
 *   B  locator-only node rows: the same rows without data; values read from the
 *      composition's canonical JSON (object_version.data #> json_path)
 *   C  no node rows: the latest composition JSON with a GIN jsonb_path_ops index,
 *      containment and values by jsonpath
 *
 *   Q1  one EHR: its ten latest blood pressures (time, systolic, diastolic)
 *   Q2  population: how many blood pressures have a systolic >= 140
 *   Q3  population: the ten highest systolics, with their EHR
 *
 * Usage: node packages/bench/dist/index-candidates.js [--patients N] [--fresh]
 *
 * The population is the generator's (five years of records per patient, about 26
 * compositions each), loaded by the bulk import into the benchmark's database when it is empty.
 */
import { performance } from 'node:perf_hooks';
import type { Database } from '@cdr/store';
import { openBenchDatabase } from './bench-database.js';
import { ARCHETYPES } from './population/compositions.js';
import { loadRange, populationOptions } from './load-population.js';

const BP = ARCHETYPES.bloodPressure;
import { percentile } from './measure.js';

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const flag = (name: string): boolean => process.argv.includes(name);
const median = (samples: readonly number[]): number => percentile(samples, 0.5);

function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) {
    console.log(line(row));
  }
}

const SYSTOLIC = '/data[at0001]/events[at0006]/data[at0003]/items[at0004]';
const DIASTOLIC = '/data[at0001]/events[at0006]/data[at0003]/items[at0005]';

interface Question {
  readonly id: string;
  readonly sql: string;
  readonly params: (ehrId: string) => unknown[];
}

const A: readonly Question[] = [
  {
    id: 'Q1',
    sql: `select ctx.data->'start_time'->>'value' as time, s.data->'value'->'magnitude' as systolic, d.data->'value'->'magnitude' as diastolic
      from aql_node o
      join aql_node ctx on ctx.ehr_id = o.ehr_id and ctx.vo_id = o.vo_id and ctx.num > 0 and ctx.parent_num = 0 and ctx.attr = 'context'
      join aql_node s on s.ehr_id = o.ehr_id and s.vo_id = o.vo_id and s.arch_root = o.num and s.arch_path = $3
      join aql_node d on d.ehr_id = o.ehr_id and d.vo_id = o.vo_id and d.arch_root = o.num and d.arch_path = $4
      where o.ehr_id = $1 and o.rm_type = 'OBSERVATION' and o.archetype_node_id = $2
      order by aql_instant(ctx.data->'start_time'->>'value') desc limit 10`,
    params: (ehrId) => [ehrId, BP, SYSTOLIC, DIASTOLIC],
  },
  {
    id: 'Q2',
    sql: `select count(*) from aql_node s join ehr e on e.ehr_id = s.ehr_id
      where s.arch_id = $1 and s.arch_path = $2 and e.is_queryable and aql_number(s.data->'value'->'magnitude') >= 140`,
    params: () => [BP, SYSTOLIC],
  },
  {
    id: 'Q3',
    sql: `select s.ehr_id, s.data->'value'->'magnitude' as systolic from aql_node s join ehr e on e.ehr_id = s.ehr_id
      where s.arch_id = $1 and s.arch_path = $2 and e.is_queryable
      order by aql_number(s.data->'value'->'magnitude') desc nulls last limit 10`,
    params: () => [BP, SYSTOLIC],
  },
];

const A_PLUS: readonly Question[] = [
  {
    id: 'Q1',
    sql: (A[0] as Question).sql.replace("s.data->'value'->'magnitude' as systolic, d.data->'value'->'magnitude' as diastolic", 's.magnitude as systolic, d.magnitude as diastolic'),
    params: (A[0] as Question).params,
  },
  {
    id: 'Q2',
    sql: `select count(*) from aql_node s join ehr e on e.ehr_id = s.ehr_id
      where s.arch_id = $1 and s.arch_path = $2 and e.is_queryable and s.magnitude >= 140`,
    params: () => [BP, SYSTOLIC],
  },
  {
    id: 'Q3',
    sql: `select s.ehr_id, s.magnitude as systolic from aql_node s join ehr e on e.ehr_id = s.ehr_id
      where s.arch_id = $1 and s.arch_path = $2 and e.is_queryable
      order by s.magnitude desc nulls last limit 10`,
    params: () => [BP, SYSTOLIC],
  },
];

const LATEST = `join versioned_object vo on vo.ehr_id = s.ehr_id and vo.object_id = s.vo_id
      join object_version ov on ov.ehr_id = vo.ehr_id and ov.object_id = vo.object_id and ov.version = vo.latest_version`;

const B: readonly Question[] = [
  {
    id: 'Q1',
    sql: `select ov.data #> '{context,start_time,value}' as time, ov.data #> (s.json_path || '{value,magnitude}'::text[]) as systolic,
        ov.data #> (d.json_path || '{value,magnitude}'::text[]) as diastolic
      from cand_locator o
      join cand_locator s on s.ehr_id = o.ehr_id and s.vo_id = o.vo_id and s.arch_root = o.num and s.arch_path = $3
      join cand_locator d on d.ehr_id = o.ehr_id and d.vo_id = o.vo_id and d.arch_root = o.num and d.arch_path = $4
      ${LATEST}
      where o.ehr_id = $1 and o.rm_type = 'OBSERVATION' and o.archetype_node_id = $2
      order by aql_instant(ov.data #>> '{context,start_time,value}') desc limit 10`,
    params: (ehrId) => [ehrId, BP, SYSTOLIC, DIASTOLIC],
  },
  {
    id: 'Q2',
    sql: `select count(*) from cand_locator s join ehr e on e.ehr_id = s.ehr_id ${LATEST}
      where s.arch_id = $1 and s.arch_path = $2 and e.is_queryable
        and aql_number(ov.data #> (s.json_path || '{value,magnitude}'::text[])) >= 140`,
    params: () => [BP, SYSTOLIC],
  },
  {
    id: 'Q3',
    sql: `select s.ehr_id, ov.data #> (s.json_path || '{value,magnitude}'::text[]) as systolic
      from cand_locator s join ehr e on e.ehr_id = s.ehr_id ${LATEST}
      where s.arch_id = $1 and s.arch_path = $2 and e.is_queryable
      order by aql_number(ov.data #> (s.json_path || '{value,magnitude}'::text[])) desc nulls last limit 10`,
    params: () => [BP, SYSTOLIC],
  },
];

const BP_PATH = `$.content[*] ? (@.archetype_node_id == "${BP}")`;
const SYS_PATH = `.data ? (@.archetype_node_id == "at0001").events[*] ? (@.archetype_node_id == "at0006").data.items[*] ? (@.archetype_node_id == "at0004").value.magnitude`;
const DIA_PATH = SYS_PATH.replace('at0004', 'at0005');

const C: readonly Question[] = [
  {
    id: 'Q1',
    sql: `select l.data #>> '{context,start_time,value}' as time, jsonb_path_query_first(l.data, $2::jsonpath) as systolic,
        jsonb_path_query_first(l.data, $3::jsonpath) as diastolic
      from cand_latest l
      where l.ehr_id = $1 and l.data @> $4::jsonb
      order by aql_instant(l.data #>> '{context,start_time,value}') desc limit 10`,
    params: (ehrId) => [ehrId, BP_PATH + SYS_PATH, BP_PATH + DIA_PATH, JSON.stringify({ content: [{ archetype_node_id: BP }] })],
  },
  {
    id: 'Q2',
    sql: `select count(*) from cand_latest l join ehr e on e.ehr_id = l.ehr_id
      cross join lateral jsonb_path_query(l.data, $1::jsonpath) s
      where l.data @> $2::jsonb and e.is_queryable and aql_number(s) >= 140`,
    params: () => [BP_PATH + SYS_PATH, JSON.stringify({ content: [{ archetype_node_id: BP }] })],
  },
  {
    id: 'Q3',
    sql: `select l.ehr_id, s as systolic from cand_latest l join ehr e on e.ehr_id = l.ehr_id
      cross join lateral jsonb_path_query(l.data, $1::jsonpath) s
      where l.data @> $2::jsonb and e.is_queryable
      order by aql_number(s) desc nulls last limit 10`,
    params: () => [BP_PATH + SYS_PATH, JSON.stringify({ content: [{ archetype_node_id: BP }] })],
  },
];

async function buildCandidates(db: Database, log: (line: string) => void): Promise<void> {
  const exists = await db.query("select 1 from pg_tables where tablename in ('cand_locator', 'cand_latest')");
  if (exists.rowCount === 2) {
    return;
  }
  log('building candidates B and C from the population ...');
  await db.query('drop table if exists cand_locator, cand_latest');
  await db.query(`create table cand_locator as select ehr_id, vo_id, num, num_cap, parent_num, attr, version, obj_type, rm_type,
    archetype_node_id, name, arch_root, arch_id, arch_path, json_path from aql_node`);
  await db.query('alter table cand_locator add primary key (ehr_id, vo_id, num)');
  await db.query('create index on cand_locator (archetype_node_id, rm_type)');
  await db.query('create index on cand_locator (arch_id, arch_path)');
  await db.query('create index on cand_locator (ehr_id, rm_type, archetype_node_id)');
  await db.query(`create table cand_latest as select v.ehr_id, v.object_id, v.data from versioned_object o
    join object_version v on v.ehr_id = o.ehr_id and v.object_id = o.object_id and v.version = o.latest_version
    where o.rm_type = 'COMPOSITION' and v.data is not null`);
  await db.query('alter table cand_latest add primary key (ehr_id, object_id)');
  await db.query('create index on cand_latest using gin (data jsonb_path_ops)');
  await db.query('vacuum analyze cand_locator');
  await db.query('vacuum analyze cand_latest');
}

async function time(db: Database, question: Question, ehrIds: readonly string[], runs: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs + 2; i += 1) {
    const ehrId = ehrIds[i % ehrIds.length] as string;
    const started = performance.now();
    await db.query(question.sql, question.params(ehrId));
    if (i >= 2) {
      samples.push(performance.now() - started);
    }
  }
  return median(samples);
}

async function main(): Promise<void> {
  const ehrs = Number(argument('--patients') ?? 4_000);
  const log = (line: string) => console.log(line);
  const bench = await openBenchDatabase({ fresh: flag('--fresh') });
  const have = await bench.db.query<{ n: number }>('select count(*)::int as n from ehr');
  if ((have.rows[0]?.n ?? 0) === 0) {
    log(`generating and importing ${ehrs} patients ...`);
    await loadRange(bench, populationOptions(42), { from: 0, to: ehrs });
    await bench.db.query('vacuum analyze');
  }
  try {
    await buildCandidates(bench.db, log);
    const sample = await bench.db.query<{ ehr_id: string }>('select ehr_id from ehr order by ehr_id limit 200');
    const ehrIds = sample.rows.map((r) => r.ehr_id);
    const sizes = await bench.db.query<{ a: string; b: string; c: string }>(`select
      pg_size_pretty(pg_total_relation_size('aql_node')) as a, pg_size_pretty(pg_total_relation_size('cand_locator')) as b,
      pg_size_pretty(pg_total_relation_size('cand_latest')) as c`);
    const rows: string[][] = [];
    const candidates = [
      ['A node rows + own data', A],
      ['A+ and a magnitude index column', A_PLUS],
      ['B locator-only rows', B],
      ['C GIN on composition JSON', C],
    ] as const;
    for (const [name, questions] of candidates) {
      const cells: string[] = [name];
      for (const question of questions) {
        const runs = question.id === 'Q1' ? 100 : 7;
        cells.push((await time(bench.db, question, ehrIds, runs)).toFixed(2));
      }
      rows.push(cells);
    }
    const loaded = await bench.db.query<{ n: number }>("select count(*)::int as n from versioned_object where rm_type = 'COMPOSITION'");
    console.log(`\n${ehrs} patients, ${loaded.rows[0]?.n} compositions, ${bench.description}`);
    console.log(`index sizes: A ${sizes.rows[0]?.a}, B ${sizes.rows[0]?.b} (+ the composition JSON it reads), C ${sizes.rows[0]?.c}\n`);
    printTable(['candidate', 'Q1 one EHR p50 ms', 'Q2 count p50 ms', 'Q3 top 10 p50 ms'], rows);
  } finally {
    await bench.close();
  }
}

await main();
