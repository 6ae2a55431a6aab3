/**
 * W6: FHIR search by patient, code and date (`GET /fhir/Observation?patient=<ehr id>
 * &code=http://loinc.org|85354-9&date=ge<date>`: a patient's blood pressures since a date,
 * through the HTTP API with the audit trail) against the SQL the answer needs: the
 * patient's blood pressure events since that date, newest first, with the versions of
 * their compositions (which the resources are made from).
 */
import type { Database } from '@cdr/store';
import { runLoad, type LoadResult } from '../http/load.js';
import type { CdrProcess } from '../http/server-process.js';
import { prepared, time, type Timing } from '../measure.js';
import { ARCHETYPES } from '../population/compositions.js';

const EVENT_PATH = '/data[at0001]/events[at0006]';

const SQL = `select e.num, ov.data
  from aql_node e
  join versioned_object vo on vo.ehr_id = e.ehr_id and vo.object_id = e.vo_id
  join object_version ov on ov.ehr_id = vo.ehr_id and ov.object_id = vo.object_id and ov.version = vo.latest_version
  where e.ehr_id = $1 and e.arch_id = $2 and e.arch_path = $3 and aql_instant(e.data->'time'->>'value') >= $4::timestamptz
  order by aql_instant(e.data->'time'->>'value') desc
  limit 21`;
const search = prepared(SQL);

export interface W6Result {
  readonly ours: LoadResult;
  readonly reference: Timing;
  readonly serverCpuShare: number;
  /** Entries per answer, on average (from the reference). */
  readonly rowsPerAnswer: number;
}

export async function runW6(db: Database, server: CdrProcess, input: { ehrIds: readonly string[]; since: string; amount: number }): Promise<W6Result> {
  const requests = input.ehrIds.map((ehrId) => ({
    method: 'GET',
    path: `/fhir/Observation?patient=${ehrId}&code=${encodeURIComponent('http://loinc.org|85354-9')}&date=ge${input.since}`,
    headers: { accept: 'application/fhir+json' },
  }));
  const warmup = Math.min(100, input.amount);
  const before = await server.cpuMs();
  const ours = await runLoad({ url: server.url, connections: 1, amount: input.amount, warmup, requests });
  const serverCpu = (await server.cpuMs()) - before;
  if (ours.non2xx > 0 || ours.errors > 0) {
    throw new Error(`W6: ${ours.non2xx} non-2xx answers and ${ours.errors} errors: ${JSON.stringify(ours.statusCodes)}`);
  }
  let rows = 0;
  let answers = 0;
  const reference = await time(
    async (i) => {
      const result = await search(db.pool, [input.ehrIds[i % input.ehrIds.length], ARCHETYPES.bloodPressure, EVENT_PATH, input.since]);
      rows += result.rowCount ?? 0;
      answers += 1;
    },
    { concurrency: 1, warmup, amount: input.amount },
  );
  return { ours, reference, serverCpuShare: serverCpu / (ours.seconds * 1000), rowsPerAnswer: rows / Math.max(1, answers) };
}
