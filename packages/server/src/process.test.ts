/**
 * The CDR as a process: it starts on an embedded PostgreSQL with nothing else installed,
 * keeps its data across restarts (also after being killed), and loses no acknowledged
 * commit when killed in the middle of a commit load.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@cdr/store';
import { testDatabaseUrl } from '@cdr/store/testing/database';
import { clinicalNote, fixture } from './testing/test-app.js';
import { startServerProcess } from './testing/server-process.js';

async function http(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: unknown }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

describe('the CDR as a process', function () {
  this.timeout(180_000);

  it('starts on an embedded PostgreSQL, answers /health and /ready, and keeps its data across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cdr-process-'));
    chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user and must reach the folder
    const env = { DATABASE_URL: '', CDR_DATA_DIR: dataDir };
    try {
      const first = await startServerProcess(env);
      assert.equal((await http(`${first.url}/health`)).status, 200);
      assert.equal((await http(`${first.url}/ready`)).status, 200);
      // The project's own templates are stored at first start.
      const templates = (await http(`${first.url}/openehr/v1/definition/template/adl1.4`)).body as { template_id: string }[];
      for (const id of ['cdr.vital_signs.v1', 'cdr.problem_list.v1', 'cdr.adverse_reaction_list.v1', 'cdr.medication_order.v1', 'cdr.laboratory_report.v1']) {
        assert.ok(templates.some((t) => t.template_id === id), `${id} is stored at first start`);
      }
      const created = await http(`${first.url}/openehr/v1/ehr`, { method: 'POST' });
      assert.equal(created.status, 201);
      const ehrId = created.headers.get('etag')!.replace(/"/g, '');
      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0);

      const second = await startServerProcess(env);
      assert.equal((await http(`${second.url}/openehr/v1/ehr/${ehrId}`)).status, 200);
      // Killed outright, the server leaves its PostgreSQL running; the next start recovers.
      second.child.kill('SIGKILL');
      await second.exited;

      const third = await startServerProcess(env);
      assert.equal((await http(`${third.url}/openehr/v1/ehr/${ehrId}`)).status, 200);
      third.child.kill('SIGTERM');
      assert.equal(await third.exited, 0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('drains requests in flight on SIGTERM before it stops', async () => {
    const server = await startServerProcess({ DATABASE_URL: await testDatabaseUrl() });
    let signalled = false;
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        http(`${server.url}/openehr/v1/ehr`, { method: 'POST' })
          .then((res) => res.status)
          .catch(() => 'refused' as const)
          .finally(() => {
            if (!signalled) {
              signalled = true;
              server.child.kill('SIGTERM');
            }
          }),
      ),
    );
    assert.equal(await server.exited, 0);
    const answered = results.filter((r) => r !== 'refused');
    assert.ok(answered.length > 1, 'requests were in flight when the signal came');
    assert.ok(answered.every((status) => status === 201), `every request accepted before the signal completed: ${results.join(', ')}`);
    console.log(`      [shutdown] SIGTERM with ${results.length} requests under way: ${answered.length} completed, ${results.length - answered.length} refused after the signal, none cut off`);
  });

  it('loses no acknowledged commit and leaves no partial contribution when killed during commits', async () => {
    const databaseUrl = await testDatabaseUrl();
    const server = await startServerProcess({ DATABASE_URL: databaseUrl });
    const upload = await http(`${server.url}/openehr/v1/definition/template/adl1.4`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: fixture('clinical_note.opt'),
    });
    assert.equal(upload.status, 201);
    const ehr = await http(`${server.url}/openehr/v1/ehr`, { method: 'POST' });
    const ehrId = ehr.headers.get('etag')!.replace(/"/g, '');

    const acknowledged: string[] = [];
    let killed = false;
    const writer = async (n: number) => {
      for (let i = 0; !killed; i += 1) {
        try {
          const res = await http(`${server.url}/openehr/v1/ehr/${ehrId}/composition`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(clinicalNote(`writer ${n}, note ${i}`)),
          });
          if (res.status === 201) {
            acknowledged.push(res.headers.get('etag')!.replace(/"/g, ''));
          }
        } catch {
          return; // the connection died with the server
        }
      }
    };
    const writers = Array.from({ length: 6 }, (_, n) => writer(n));
    while (acknowledged.length < 60) {
      await new Promise((r) => setTimeout(r, 20));
    }
    server.child.kill('SIGKILL');
    killed = true;
    await server.exited;
    await Promise.all(writers);

    const restarted = await startServerProcess({ DATABASE_URL: databaseUrl });
    try {
      for (const uid of acknowledged) {
        const res = await http(`${restarted.url}/openehr/v1/ehr/${ehrId}/composition/${uid}`);
        assert.equal(res.status, 200, `acknowledged composition ${uid} is readable after the restart`);
      }
      const db = new Database({ url: databaseUrl });
      try {
        const partial = await db.query<{ n: number }>(
          `select count(*)::int as n from contribution c
           where c.ehr_id = $1 and not exists (select 1 from object_version v where v.ehr_id = c.ehr_id and v.contribution_id = c.contribution_id)`,
          [ehrId],
        );
        assert.equal(partial.rows[0]?.n, 0, 'no contribution without versions');
        const orphans = await db.query<{ n: number }>(
          `select count(*)::int as n from versioned_object o
           where o.ehr_id = $1 and o.latest_version <> (select max(version) from object_version v where v.ehr_id = o.ehr_id and v.object_id = o.object_id)`,
          [ehrId],
        );
        assert.equal(orphans.rows[0]?.n, 0, 'every versioned object points at its newest version');
      } finally {
        await db.close();
      }
      console.log(`      [fault] ${acknowledged.length} commits acknowledged before SIGKILL, all readable after restart`);
    } finally {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    }
  });
});
