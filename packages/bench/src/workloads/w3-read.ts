/**
 * W3: GET /ehr/{ehr_id}/composition/{version_uid} through the REST API (canonical JSON,
 * the audit trail written), one request at a time, against the primary-key SELECT of the
 * same JSONB with the same driver, on the same versions.
 */
import type { Database } from '@cdr/store';
import { runLoad, type LoadResult } from '../http/load.js';
import type { CdrProcess } from '../http/server-process.js';
import { prepared, time, type Timing } from '../measure.js';

const byKey = prepared('select data from object_version where ehr_id = $1 and object_id = $2 and version = $3');

export interface VersionKey {
  readonly ehrId: string;
  readonly objectId: string;
  readonly version: number;
  readonly systemId: string;
}

/** A spread sample of composition versions (every n-th by key, so it is the same each run). */
export async function sampleVersions(db: Database, count: number): Promise<VersionKey[]> {
  const total = await db.query<{ n: number }>("select count(*)::int as n from versioned_object where rm_type = 'COMPOSITION'");
  const step = Math.max(1, Math.floor((total.rows[0]?.n ?? 0) / count));
  const rows = await db.query<{ ehr_id: string; object_id: string; version: number; system_id: string }>(
    `select v.ehr_id, v.object_id, v.version, v.system_id from (
       select ehr_id, object_id, latest_version, row_number() over (order by ehr_id, object_id) as n
       from versioned_object where rm_type = 'COMPOSITION') o
     join object_version v on v.ehr_id = o.ehr_id and v.object_id = o.object_id and v.version = o.latest_version
     where o.n % $1 = 0 limit $2`,
    [step, count],
  );
  return rows.rows.map((r) => ({ ehrId: r.ehr_id, objectId: r.object_id, version: r.version, systemId: r.system_id }));
}

export interface W3Result {
  readonly ours: LoadResult;
  readonly reference: Timing;
  readonly serverCpuShare: number;
}

export async function runW3(db: Database, server: CdrProcess, versions: readonly VersionKey[], amount: number, log: (line: string) => void): Promise<W3Result> {
  log(`W3: ${amount} reads of compositions by version uid ...`);
  const requests = versions.map((v) => ({
    method: 'GET',
    path: `/openehr/v1/ehr/${v.ehrId}/composition/${v.objectId}::${v.systemId}::${v.version}`,
    headers: { accept: 'application/json' },
  }));
  const before = await server.cpuMs();
  const ours = await runLoad({ url: server.url, connections: 1, amount, warmup: Math.min(500, amount), requests });
  const serverCpu = (await server.cpuMs()) - before;
  if (ours.non2xx > 0 || ours.errors > 0) {
    throw new Error(`W3: ${ours.non2xx} non-2xx answers and ${ours.errors} errors: ${JSON.stringify(ours.statusCodes)}`);
  }
  const reference = await time(
    async (i) => {
      const v = versions[i % versions.length] as VersionKey;
      await byKey(db.pool, [v.ehrId, v.objectId, v.version]);
    },
    { concurrency: 1, warmup: Math.min(500, amount), amount },
  );
  return { ours, reference, serverCpuShare: serverCpu / (ours.seconds * 1000) };
}
