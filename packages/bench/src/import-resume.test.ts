import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { createApp, silentLogger } from '@cdr/server';
import { AqlIndexer, Database, Store, TemplateRepository } from '@cdr/store';
import { isolatedTestDatabase } from '@cdr/store/testing/database';
import { writePopulation } from './population/population.js';

const cli = fileURLToPath(new URL('../../server/dist/cli.js', import.meta.url));
const SYSTEM_ID = 'resume.test';

type Json = Record<string, unknown>;

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/** `npm run cdr -- import FILE --batch 5`, optionally killed (SIGKILL) once the checkpoint passes `killAfter` bytes. */
function runImport(env: NodeJS.ProcessEnv, file: string, killAfter?: number): Promise<Run & { killedAt?: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'import', file, '--batch', '5'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let killedAt: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    let poll: NodeJS.Timeout | undefined;
    if (killAfter !== undefined) {
      poll = setInterval(() => {
        readFile(`${file}.checkpoint.json`, 'utf8').then(
          (text) => {
            const offset = (JSON.parse(text) as { offset: number }).offset;
            if (offset >= killAfter && killedAt === undefined) {
              killedAt = offset;
              child.kill('SIGKILL');
            }
          },
          () => undefined,
        );
      }, 5);
    }
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, output, ...(killedAt === undefined ? {} : { killedAt }) });
    });
  });
}

describe('bulk import killed midway (SIGKILL) and run again', function () {
  this.timeout(300_000);
  let dir: string;
  let file: string;
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  const lines: Json[] = [];

  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]?.n);

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), 'cdr-resume-'));
    file = join(dir, 'population.ndjson');
    await writePopulation(file, { seed: 11, years: 2, end: '2025-01-01T00:00:00Z' }, { from: 0, to: 35 });
    for (const text of (await readFile(file, 'utf8')).split('\n')) {
      if (text) {
        lines.push(JSON.parse(text) as Json);
      }
    }
    database = await isolatedTestDatabase();
    db = new Database({ url: database.url });
  });

  after(async function () {
    await db?.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('finishes without duplicates; every composition is readable through the API and found by AQL', async function () {
    const env = { DATABASE_URL: database.url, CDR_SYSTEM_ID: SYSTEM_ID, CDR_DATA_DIR: dir };
    const size = (await stat(file)).size;
    const compositions = lines.filter((l) => l.type === 'composition');
    const ehrs = lines.filter((l) => l.type === 'ehr');
    assert.ok(compositions.length > 250, `only ${compositions.length} compositions generated`);

    const killed = await runImport(env, file, Math.round(size * 0.3));
    assert.equal(killed.signal, 'SIGKILL', `the import was not killed midway:\n${killed.output}`);
    assert.ok(killed.killedAt !== undefined && killed.killedAt < size);
    const partial = await count("select count(*) as n from object_version v join versioned_object o using (ehr_id, object_id) where o.rm_type = 'COMPOSITION'");
    assert.ok(partial > 0 && partial < compositions.length, `${partial} of ${compositions.length} stored when killed`);

    const resumed = await runImport(env, file);
    assert.equal(resumed.code, 0, resumed.output);
    assert.match(resumed.output, /resumed at line \d+/);
    assert.equal(existsSync(`${file}.checkpoint.json`), false, 'the checkpoint is removed once the import is complete');

    // nothing twice: one EHR per line, one version per composition line, one indexed version per object
    const objects = new Set(compositions.map((l) => ((l.composition as Json).uid as Json).value as string).map((uid) => uid.split('::')[0]));
    assert.equal(await count('select count(*) as n from ehr'), ehrs.length);
    assert.equal(await count("select count(*) as n from object_version v join versioned_object o using (ehr_id, object_id) where o.rm_type = 'COMPOSITION'"), compositions.length);
    assert.equal(await count("select count(*) as n from versioned_object where rm_type = 'COMPOSITION'"), objects.size);
    assert.equal(await count('select count(*) as n from (select ehr_id, vo_id from aql_node group by ehr_id, vo_id having count(distinct version) > 1) x'), 0);
    assert.equal(await count('select count(*) as n from (select distinct ehr_id, vo_id from aql_node) x'), objects.size + ehrs.length);

    // every version readable through the API, as it was in the file
    const store = new Store(db, { systemId: SYSTEM_ID, indexer: new AqlIndexer() });
    const app = createApp({ db, store, templates: new TemplateRepository(db), logger: silentLogger(), bodyLimitBytes: 10 << 20 });
    const latest = new Map<string, { ehrId: string; uid: string }>();
    for (const line of compositions) {
      const composition = line.composition as Json;
      const [objectId, , version] = ((composition.uid as Json).value as string).split('::') as [string, string, string];
      const uid = `${objectId}::${SYSTEM_ID}::${version}`;
      const response = await request(app).get(`/openehr/v1/ehr/${String(line.ehr_id)}/composition/${uid}`).expect(200);
      assert.deepEqual(response.body, { ...composition, uid: { _type: 'OBJECT_VERSION_ID', value: uid } });
      latest.set(objectId, { ehrId: String(line.ehr_id), uid });
    }

    // and the latest version of every composition found by AQL, EHR by EHR
    for (const ehr of ehrs) {
      const response = await request(app)
        .post('/openehr/v1/query/aql')
        .send({ q: 'SELECT c/uid/value FROM EHR e[ehr_id/value = $ehr] CONTAINS COMPOSITION c', query_parameters: { ehr: ehr.ehr_id } })
        .expect(200);
      const found = (response.body as { rows: string[][] }).rows.map((r) => r[0]).sort();
      const expected = [...latest.values()].filter((l) => l.ehrId === ehr.ehr_id).map((l) => l.uid).sort();
      assert.deepEqual(found, expected);
    }

    // a third run finds everything there
    const again = await runImport(env, file);
    assert.equal(again.code, 0, again.output);
    assert.match(again.output, /0 compositions and 0 EHRs imported, [\d,]+ already there, 0 rejected/);
    assert.equal(await count('select count(*) as n from object_version'), compositions.length + ehrs.length);
  });
});
