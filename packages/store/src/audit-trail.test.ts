import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { AuditTrail, type AuditEventInput } from './audit-trail.js';
import type { Database } from './database.js';
import { openTestDatabase } from './testing/database.js';

describe('audit trail', () => {
  let db: Database;
  let trail: AuditTrail;

  before(async () => {
    db = await openTestDatabase();
    trail = new AuditTrail(db);
  });
  after(async () => db.close());

  const event = (correlationId: string, status = 200): AuditEventInput => ({
    correlationId,
    subject: 'clinician-1',
    action: 'read',
    method: 'GET',
    path: '/openehr/v1/ehr/x',
    status,
    outcome: status < 400 ? 'success' : 'failure',
    ehrIds: [randomUUID()],
    resources: [],
  });

  it('stores every one of many events appended at once, each once', async () => {
    const ids = Array.from({ length: 60 }, () => randomUUID());
    await Promise.all(ids.map((id) => trail.append(event(id))));
    for (const id of ids) {
      const found = await trail.search({ correlationId: id, limit: 10, offset: 0 });
      assert.equal(found.length, 1, `event ${id}`);
      assert.equal(found[0]?.subject, 'clinician-1');
    }
  });

  it('fails only the event the database refuses when it arrives together with others', async () => {
    const good = Array.from({ length: 10 }, () => randomUUID());
    const bad = randomUUID();
    const appends = [...good.slice(0, 5).map((id) => event(id)), event(bad, 2 ** 40), ...good.slice(5).map((id) => event(id))].map((e) =>
      trail.append(e).then(
        () => 'stored',
        () => 'failed',
      ),
    );
    const outcomes = await Promise.all(appends);
    assert.deepEqual(outcomes, [...Array(5).fill('stored'), 'failed', ...Array(5).fill('stored')]);
    assert.equal((await trail.search({ correlationId: bad, limit: 10, offset: 0 })).length, 0);
    for (const id of good) {
      assert.equal((await trail.search({ correlationId: id, limit: 10, offset: 0 })).length, 1);
    }
  });
});
