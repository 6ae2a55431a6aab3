/**
 * W1: commit one vital-signs composition through the REST API (POST
 * /ehr/{ehr_id}/composition: content checks, template validation, one contribution, the
 * query index, the audit trail), at concurrency 1 and 8, against raw SQL inserts of the
 * same rows (contribution, versioned object, version, index rows) with the same driver,
 * one transaction per composition, at the same concurrency.
 */
import { randomUUID } from 'node:crypto';
import { ChangeType, auditDetails, indexRows, withVersionUid, type Database, type JsonObject } from '@cdr/store';
import { runLoad, type LoadResult } from '../http/load.js';
import type { CdrProcess } from '../http/server-process.js';
import { prepared, time, type Timing } from '../measure.js';
import { TEMPLATES } from '../population/compositions.js';
import { generatePatient, type PopulationOptions } from '../population/patient.js';

/** Vital-signs compositions of patients outside the loaded population, without their uids. */
export function vitalSignsBodies(options: PopulationOptions, count: number): JsonObject[] {
  const bodies: JsonObject[] = [];
  for (let index = 10_000_000; bodies.length < count; index += 1) {
    for (const c of generatePatient(options, index).compositions) {
      if (c.templateId === TEMPLATES.vitalSigns && bodies.length < count) {
        const { uid: _uid, ...rest } = c.composition as JsonObject;
        bodies.push(rest);
      }
    }
  }
  return bodies;
}

const NODE_COLUMNS = [
  'ehr_id',
  'vo_id',
  'version',
  'obj_type',
  'num',
  'num_cap',
  'parent_num',
  'attr',
  'rm_type',
  'archetype_node_id',
  'name',
  'arch_root',
  'arch_id',
  'arch_path',
  'json_path',
  'data',
  'magnitude',
];

/** The statements and values of one composition's raw insert, with fresh ids each time. */
function rawInsert(body: JsonObject, systemId: string): (ehrId: string) => { sql: string; params: unknown[] }[] {
  const probe = indexRows(withVersionUid(body, `00000000-0000-0000-0000-000000000000::${systemId}::1`)).nodes;
  const rowCount = probe.length;
  const placeholders = Array.from({ length: rowCount }, (_, r) => `(${NODE_COLUMNS.map((_, c) => `$${r * NODE_COLUMNS.length + c + 1}`).join(', ')})`).join(', ');
  const nodeSql = `insert into aql_node (${NODE_COLUMNS.join(', ')}) values ${placeholders}`;
  return (ehrId) => {
    const objectId = randomUUID();
    const contributionId = randomUUID();
    const now = new Date().toISOString();
    const data = withVersionUid(body, `${objectId}::${systemId}::1`);
    const audit = auditDetails({ systemId, timeCommitted: now, changeType: ChangeType.creation, committer: { _type: 'PARTY_IDENTIFIED', name: 'bench' } });
    const nodes = indexRows(data).nodes;
    const nodeParams: unknown[] = [];
    for (const n of nodes) {
      nodeParams.push(ehrId, objectId, 1, 'COMPOSITION', n.num, n.numCap, n.parentNum, n.attr, n.rmType, n.archetypeNodeId, n.name, n.archRoot, n.archId, n.archPath, n.jsonPath, n.data, n.magnitude);
    }
    return [
      { sql: 'insert into contribution (ehr_id, contribution_id, system_id, time_committed, audit) values ($1, $2, $3, $4, $5)', params: [ehrId, contributionId, systemId, now, audit] },
      {
        sql: `insert into versioned_object (ehr_id, object_id, rm_type, time_created, latest_version) values ($1, $2, 'COMPOSITION', $3, 1)`,
        params: [ehrId, objectId, now],
      },
      {
        sql: `insert into object_version (ehr_id, object_id, version, contribution_id, system_id, change_type, lifecycle_state, time_committed,
            audit, archetype_node_id, template_id, data) values ($1, $2, 1, $3, $4, '249', '532', $5, $6, $7, $8, $9)`,
        params: [ehrId, objectId, contributionId, systemId, now, audit, String(data.archetype_node_id), TEMPLATES.vitalSigns, data],
      },
      { sql: nodeSql, params: nodeParams },
    ];
  };
}

export interface W1Result {
  readonly ours: readonly [LoadResult, LoadResult];
  readonly reference: readonly [Timing, Timing];
  readonly serverCpuShare: readonly [number, number];
}

export async function runW1(
  db: Database,
  server: CdrProcess,
  input: { ehrIds: readonly string[]; bodies: readonly JsonObject[]; systemId: string; seconds: number },
  log: (line: string) => void,
): Promise<W1Result> {
  const requests = input.bodies.map((body, i) => ({
    method: 'POST',
    path: `/openehr/v1/ehr/${input.ehrIds[i % input.ehrIds.length]}/composition`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  }));
  const ours: LoadResult[] = [];
  const serverCpu: number[] = [];
  for (const connections of [1, 8]) {
    log(`W1: REST commits at concurrency ${connections} for ${input.seconds} s ...`);
    const before = await server.cpuMs();
    const result = await runLoad({ url: server.url, connections, duration: input.seconds, warmup: 50, requests });
    serverCpu.push((await server.cpuMs()) - before);
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`W1: ${result.non2xx} non-2xx answers and ${result.errors} errors: ${JSON.stringify(result.statusCodes)}`);
    }
    ours.push(result);
  }
  const inserts = input.bodies.map((body) => rawInsert(body, input.systemId));
  const reference: Timing[] = [];
  for (const concurrency of [1, 8]) {
    log(`W1: raw SQL inserts at concurrency ${concurrency} for ${input.seconds} s ...`);
    reference.push(
      await time(
        async (i) => {
          const statements = (inserts[i % inserts.length] as (ehrId: string) => { sql: string; params: unknown[] }[])(input.ehrIds[i % input.ehrIds.length] as string);
          const client = await db.pool.connect();
          try {
            await client.query('begin');
            for (const s of statements) {
              await prepared(s.sql)(client, s.params);
            }
            await client.query('commit');
          } catch (error) {
            await client.query('rollback');
            throw error;
          } finally {
            client.release();
          }
        },
        { concurrency, warmup: 50, seconds: input.seconds },
      ),
    );
  }
  const [c1, c8] = ours as [LoadResult, LoadResult];
  return {
    ours: [c1, c8],
    reference: [reference[0] as Timing, reference[1] as Timing],
    serverCpuShare: [(serverCpu[0] ?? 0) / (c1.seconds * 1000), (serverCpu[1] ?? 0) / (c8.seconds * 1000)],
  };
}
