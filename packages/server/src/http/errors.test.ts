import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Database, Store, TemplateRepository } from '@cdr/store';
import { testDatabaseUrl } from '@cdr/store/testing/database';
import { createApp } from '../app.js';
import { silentLogger } from '../logger.js';

describe('errors', () => {
  it('answers an unexpected failure with 500 and a correlation id, never internals', async () => {
    const db = new Database({ url: await testDatabaseUrl() });
    try {
      const store = new Store(db, { systemId: 's' });
      // A store whose reads fail in a way no handler expects.
      const failing = Object.assign(Object.create(store) as Store, {
        getEhr: async () => {
          throw new TypeError("Cannot read properties of undefined (reading 'rows') at pool.js:42");
        },
      });
      const app = createApp({ db, store: failing, templates: new TemplateRepository(db), logger: silentLogger(), bodyLimitBytes: 1024 });
      const res = await request(app).get(`/openehr/v1/ehr/${randomUUID()}`).set('X-Request-Id', 'trace-123');
      assert.equal(res.status, 500);
      assert.equal(res.headers['x-request-id'], 'trace-123');
      assert.equal(res.body.correlationId, 'trace-123');
      assert.match(res.body.message, /trace-123/);
      assert.doesNotMatch(res.text, /pool\.js|TypeError|rows/);
    } finally {
      await db.close();
    }
  });

  it('withholds data it cannot audit: 503 when the audit trail cannot be written', async () => {
    const db = new Database({ url: await testDatabaseUrl() });
    await db.close(); // neither the request nor its audit event can reach the database
    const app = createApp({ db, store: new Store(db, { systemId: 's' }), templates: new TemplateRepository(db), logger: silentLogger(), bodyLimitBytes: 1024 });
    const res = await request(app).get(`/openehr/v1/ehr/${randomUUID()}`);
    assert.equal(res.status, 503);
    assert.match(res.body.message, /audit/);
  });

  it('answers unknown routes with 404 and oversized bodies with 413', async () => {
    const db = new Database({ url: await testDatabaseUrl() });
    try {
      const app = createApp({ db, store: new Store(db, { systemId: 's' }), templates: new TemplateRepository(db), logger: silentLogger(), bodyLimitBytes: 1024 });
      const unknown = await request(app).get('/openehr/v1/nothing-here');
      assert.equal(unknown.status, 404);
      assert.ok(unknown.body.message);
      const large = await request(app).post('/openehr/v1/ehr').send({ padding: 'x'.repeat(4096) });
      assert.equal(large.status, 413);
      assert.match(large.body.message, /1024/);
      const generated = await request(app).get('/health');
      assert.match(generated.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
    } finally {
      await db.close();
    }
  });
});
