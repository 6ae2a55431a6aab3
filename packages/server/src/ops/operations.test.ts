import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { readConfig } from '../config.js';
import { errorHandler } from '../http/errors.js';
import { requestContext } from '../http/request-context.js';
import { silentLogger } from '../logger.js';
import { checkExposure } from '../runtime.js';
import { rateLimit } from '../security/rate-limit.js';
import { startTestCdr, type TestCdr } from '../testing/test-app.js';

describe('operations', () => {
  let cdr: TestCdr;
  before(async () => {
    cdr = await startTestCdr();
  });
  after(async () => cdr.close());

  it('serves Prometheus metrics: latency by route and status, pool, commits, audit writes', async () => {
    await request(cdr.app).post('/openehr/v1/ehr').expect(201);
    await request(cdr.app).get('/openehr/v1/ehr/not-a-uuid').expect(400);
    const res = await request(cdr.app).get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /text\/plain/);
    assert.match(res.text, /cdr_http_request_duration_seconds_bucket\{[^}]*route="\/openehr\/v1\/ehr"[^}]*status="201"/);
    assert.match(res.text, /cdr_http_request_duration_seconds_count\{[^}]*route="\/openehr\/v1\/ehr\/:ehr_id"[^}]*status="400"/);
    assert.doesNotMatch(res.text, /not-a-uuid/, 'routes are labelled by pattern, not by URL');
    assert.match(res.text, /cdr_commits_total\{rm_type="EHR_STATUS",change_type="249"\} [1-9]/);
    assert.match(res.text, /cdr_db_pool_connections\{state="total"\}/);
    assert.match(res.text, /cdr_audit_writes_total\{result="stored"\} [1-9]/);
  });

  it('sends security headers', async () => {
    const res = await request(cdr.app).get('/health');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.ok(res.headers['strict-transport-security']);
    assert.ok(res.headers['content-security-policy']);
    assert.equal(res.headers['x-powered-by'], undefined);
  });

  it('limits each client: 429 with Retry-After beyond the rate', async () => {
    let now = 0;
    const app = express();
    app.use(requestContext(silentLogger()));
    app.use(rateLimit({ perMinute: 60, burst: 3, now: () => now }));
    app.get('/x', (_req, res) => {
      res.json({});
    });
    app.use(errorHandler());
    for (let i = 0; i < 3; i += 1) {
      assert.equal((await request(app).get('/x')).status, 200);
    }
    const limited = await request(app).get('/x');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '1');
    now += 1000; // one request per second refills
    assert.equal((await request(app).get('/x')).status, 200);
  });

  it('refuses to listen beyond loopback without authentication', () => {
    assert.throws(() => checkExposure(readConfig({ CDR_HOST: '0.0.0.0' }), silentLogger()), /refusing to listen on 0\.0\.0\.0 without authentication/);
    assert.doesNotThrow(() => checkExposure(readConfig({ CDR_HOST: '127.0.0.1' }), silentLogger()));
    assert.doesNotThrow(() => checkExposure(readConfig({ CDR_HOST: '0.0.0.0', CDR_AUTH_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----' }), silentLogger()));
    assert.throws(() => readConfig({ CDR_AUTH: 'jwt' }), /needs CDR_AUTH_JWKS_URL or CDR_AUTH_PUBLIC_KEY/);
  });
});
