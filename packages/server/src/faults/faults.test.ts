/**
 * Fault tolerance: the database connection dropped in the middle of requests gives clean
 * 503s and the server recovers when the database returns; fuzzed compositions and XML
 * never produce a 500.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { Database, Store, TemplateRepository, AqlIndexer } from '@cdr/store';
import { isolatedTestDatabase } from '@cdr/store/testing/database';
import { createApp } from '../app.js';
import { silentLogger } from '../logger.js';
import { ownTemplate } from '../testing/own-templates.js';
import { Random } from '../testing/random.js';
import { TcpProxy } from '../testing/tcp-proxy.js';
import { startTestCdr, type TestCdr } from '../testing/test-app.js';

const VITALS = 'cdr.vital_signs.v1';
type Json = Record<string, unknown>;

describe('faults', function () {
  this.timeout(300_000);

  it('answers 503 while the database connection is down, and recovers when it returns', async () => {
    const database = await isolatedTestDatabase();
    const target = new URL(database.url);
    const proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const db = new Database({ url: viaProxy.toString(), poolSize: 4 });
    try {
      const app = createApp({ db, store: new Store(db, { systemId: 'fault.test', indexer: new AqlIndexer() }), templates: new TemplateRepository(db), logger: silentLogger(), bodyLimitBytes: 1 << 20 });
      const ehrId = (await request(app).post('/openehr/v1/ehr').expect(201)).headers.etag!.replace(/"/g, '');

      // Requests in flight when the connection drops: each one ends cleanly, never in a 500.
      let cutAfterFirst = false;
      const inFlight = Array.from({ length: 20 }, (_, i) =>
        new Promise<void>((resolve) => setTimeout(resolve, i * 3)).then(() => request(app).post('/openehr/v1/ehr')).then((res) => {
          if (!cutAfterFirst) {
            cutAfterFirst = true;
            proxy.cut();
          }
          return res;
        }),
      );
      const during = await Promise.all(inFlight);
      const statuses = during.map((r) => r.status);
      assert.ok(statuses.every((s) => s === 201 || s === 503), `statuses while the connection dropped: ${statuses.join(', ')}`);

      const down = await request(app).get(`/openehr/v1/ehr/${ehrId}`);
      assert.equal(down.status, 503);
      assert.ok(down.body.message);
      assert.equal((await request(app).get('/ready')).status, 503);
      assert.equal((await request(app).get('/health')).status, 200);

      proxy.restore();
      let recovered = false;
      for (let attempt = 0; attempt < 50 && !recovered; attempt += 1) {
        recovered = (await request(app).get(`/openehr/v1/ehr/${ehrId}`)).status === 200;
        if (!recovered) {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      assert.ok(recovered, 'the server answers again once the database is back');
      assert.equal((await request(app).get('/ready')).status, 200);
      console.log(`      [fault] connection dropped under ${inFlight.length} requests: ${statuses.filter((s) => s === 201).length} committed, ${statuses.filter((s) => s === 503).length} answered 503, none 500; recovered`);
    } finally {
      await db.close();
      await proxy.close();
      await database.drop();
    }
  });

  describe('fuzzing', () => {
    let cdr: TestCdr;
    let ehrId: string;
    let example: Json;

    before(async () => {
      cdr = await startTestCdr();
      await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(ownTemplate(VITALS));
      ehrId = (await request(cdr.app).post('/openehr/v1/ehr').expect(201)).headers.etag!.replace(/"/g, '');
      example = (await request(cdr.app).get(`/openehr/v1/definition/template/adl1.4/${VITALS}/example`)).body as Json;
    });
    after(async () => cdr.close());

    /** Every path to a value in a JSON tree. */
    function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
      if (Array.isArray(value)) {
        return [prefix, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
      }
      if (value && typeof value === 'object') {
        return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
      }
      return [prefix];
    }

    const REPLACEMENTS: unknown[] = [null, 0, -1, 1e308, -1e-308, '', 'x'.repeat(10_000), '\u0000\u202e\ud800', true, [], {}, [[[]]], { _type: 'DV_TEXT' }, { _type: 'NOT_A_TYPE' }, '2024-13-45T99:99:99', 'P-1D', NaN, '${jndi:x}', "'; drop table ehr; --"];

    function mutate(random: Random, original: Json): unknown {
      const copy = structuredClone(original) as Json;
      const all = paths(copy).filter((p) => p.length > 0);
      const edits = 1 + random.int(3);
      for (let i = 0; i < edits; i += 1) {
        const path = random.pick(all);
        let parent: unknown = copy;
        for (const step of path.slice(0, -1)) {
          parent = (parent as Record<string | number, unknown>)?.[step];
        }
        if (!parent || typeof parent !== 'object') {
          continue;
        }
        const key = path[path.length - 1] as string | number;
        const container = parent as Record<string | number, unknown>;
        switch (random.int(4)) {
          case 0:
            if (Array.isArray(container)) {
              container.splice(key as number, 1);
            } else {
              delete container[key];
            }
            break;
          case 1:
            container[key] = random.pick(REPLACEMENTS);
            break;
          case 2:
            container[key] = structuredClone(container);
            break;
          default:
            container[`${String(key)}_extra`] = random.pick(REPLACEMENTS);
        }
      }
      return copy;
    }

    it('never answers a fuzzed composition with a 500 (1,000 cases)', async () => {
      const random = new Random(20261122);
      const statuses = new Map<number, number>();
      const failures: string[] = [];
      for (let i = 0; i < 1000; i += 1) {
        const body = mutate(random, example);
        const res = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).set('Content-Type', 'application/json').send(JSON.stringify(body));
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) {
          failures.push(`case ${i}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        }
      }
      console.log(`      [fuzz] compositions: 1000 cases, statuses ${[...statuses].sort().map(([s, n]) => `${s}x${n}`).join(' ')}`);
      assert.deepEqual(failures, []);
    });

    it('never answers fuzzed XML with a 500 (1,000 cases)', async () => {
      const xml = (await request(cdr.app).get(`/openehr/v1/definition/template/adl1.4/${VITALS}/example`).set('Accept', 'application/xml')).text;
      const random = new Random(11);
      const FRAGMENTS = ['<', '>', '&', '&amp;', '&#0;', '&#x110000;', '&unknown;', '<!DOCTYPE x [<!ENTITY e "e">]>', '<![CDATA[', ']]>', '<?pi?>', '</composition>', '<items xsi:type="NOPE">', 'xmlns:bad="', '"', "'", '\u0000', '<!--', '-->'];
      const statuses = new Map<number, number>();
      const failures: string[] = [];
      for (let i = 0; i < 1000; i += 1) {
        let text = xml;
        for (let edit = 1 + random.int(3); edit > 0; edit -= 1) {
          const at = random.int(text.length);
          switch (random.int(3)) {
            case 0:
              text = text.slice(0, at) + text.slice(at + 1 + random.int(40));
              break;
            case 1:
              text = text.slice(0, at) + random.pick(FRAGMENTS) + text.slice(at);
              break;
            default:
              text = text.slice(0, at);
          }
        }
        const res = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).set('Content-Type', 'application/xml').send(text);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) {
          failures.push(`case ${i}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        }
      }
      const template = await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(xml.replace('<composition', '<template'));
      assert.ok(template.status < 500);
      console.log(`      [fuzz] XML: 1000 cases, statuses ${[...statuses].sort().map(([s, n]) => `${s}x${n}`).join(' ')}`);
      assert.deepEqual(failures, []);
    });
  });
});
