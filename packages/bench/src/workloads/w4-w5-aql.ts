/**
 * W4 and W5: AQL answered by the CDR's query service (parse, check, compile, run on the
 * query index, rows back) against hand-written SQL for the same question on the same
 * tables, in the same run. W4 also goes through the REST API (`POST /query/aql`, with
 * HTTP and the audit trail) as a detail.
 *
 *   W4   one EHR: its ten latest blood pressures (time, systolic, diastolic)
 *   W5a  population: how many blood pressures have a systolic >= 140
 *   W5b  population: the ten highest of those systolics, with their EHR
 */
import { AqlService } from '@cdr/server/query/aql-service';
import { silentLogger } from '@cdr/server';
import type { Database } from '@cdr/store';
import { runLoad, type LoadResult } from '../http/load.js';
import type { CdrProcess } from '../http/server-process.js';
import { prepared, time, type Timing } from '../measure.js';
import { ARCHETYPES } from '../population/compositions.js';

const BP = ARCHETYPES.bloodPressure;
const SYS = 'o/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude';
const DIA = 'o/data[at0001]/events[at0006]/data[at0003]/items[at0005]/value/magnitude';
const SYS_PATH = '/data[at0001]/events[at0006]/data[at0003]/items[at0004]';
const DIA_PATH = '/data[at0001]/events[at0006]/data[at0003]/items[at0005]';

export interface AqlWorkload {
  readonly id: 'W4' | 'W5a' | 'W5b';
  readonly title: string;
  readonly aql: string;
  readonly parameters: (ehrId: string) => Record<string, unknown>;
  /** The same question in SQL, written by hand for the same schema. */
  readonly sql: string;
  readonly params: (ehrId: string) => unknown[];
}

export const AQL_WORKLOADS: readonly AqlWorkload[] = [
  {
    id: 'W4',
    title: 'AQL, one EHR: ten latest blood pressures',
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
  },
  {
    id: 'W5a',
    title: 'AQL, population: COUNT of systolic >= 140',
    aql: `SELECT COUNT(*) FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}] WHERE ${SYS} >= 140`,
    parameters: () => ({}),
    sql: `select count(*) from aql_node s join ehr e on e.ehr_id = s.ehr_id
      where s.arch_id = $1 and s.arch_path = $2 and e.is_queryable and s.magnitude >= 140`,
    params: () => [BP, SYS_PATH],
  },
  {
    id: 'W5b',
    title: 'AQL, population: ORDER BY systolic DESC LIMIT 10',
    aql: `SELECT e/ehr_id/value, ${SYS} AS systolic FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}]
      WHERE ${SYS} >= 140 ORDER BY systolic DESC LIMIT 10`,
    parameters: () => ({}),
    sql: `select s.ehr_id, s.magnitude as systolic from aql_node s join ehr e on e.ehr_id = s.ehr_id
      where s.arch_id = $1 and s.arch_path = $2 and e.is_queryable and s.magnitude >= 140
      order by s.magnitude desc limit 10`,
    params: () => [BP, SYS_PATH],
  },
];

export interface AqlResult {
  readonly workload: AqlWorkload;
  readonly ours: Timing;
  readonly reference: Timing;
  /** The same query through POST /query/aql (W4 only). */
  readonly rest?: LoadResult;
}

export function aqlService(db: Database, systemId: string): AqlService {
  return new AqlService(db, systemId, { defaultFetch: 1000, maxFetch: 10_000, timeoutMs: 120_000 }, silentLogger());
}

export async function runAql(
  service: AqlService,
  db: Database,
  workload: AqlWorkload,
  ehrIds: readonly string[],
  runs: number,
  server?: CdrProcess,
): Promise<AqlResult> {
  const ehr = (i: number) => ehrIds[(i * 7919) % ehrIds.length] as string;
  const options = { concurrency: 1, warmup: Math.max(3, Math.round(runs / 5)), amount: runs };
  const ours = await time((i) => service.execute({ q: workload.aql, parameters: workload.parameters(ehr(i)) }), options);
  const hand = prepared(workload.sql);
  const reference = await time((i) => hand(db.pool, workload.params(ehr(i))), options);
  let rest: LoadResult | undefined;
  if (server && workload.id === 'W4') {
    rest = await runLoad({
      url: server.url,
      connections: 1,
      amount: runs,
      warmup: options.warmup,
      requests: ehrIds.slice(0, 200).map((ehrId) => ({
        method: 'POST',
        path: '/openehr/v1/query/aql',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ q: workload.aql, query_parameters: workload.parameters(ehrId) }),
      })),
    });
  }
  return { workload, ours, reference, ...(rest ? { rest } : {}) };
}
