/**
 * Random and mutated queries through the endpoint: whatever arrives, the answer is a
 * result (200), a refusal (400) or a timeout (408), never an unexpected error, and it
 * comes back in bounded time. Seeded, so a failure can be replayed.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { startTestCdr, type TestCdr } from '../testing/test-app.js';
import { BP, DIASTOLIC, SYSTOLIC, loadVitalSigns, patientWith } from './testing/vital-signs.js';

const SEEDS: readonly string[] = [
  `SELECT c/uid/value, ${SYSTOLIC} FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}] WHERE ${SYSTOLIC} > 120 ORDER BY c/context/start_time DESC LIMIT 5`,
  `SELECT COUNT(*), MAX(${DIASTOLIC}) FROM EHR e CONTAINS OBSERVATION o[${BP}]`,
  'SELECT e/ehr_id/value, e/ehr_status/subject FROM EHR e',
  "SELECT c/name/value FROM COMPOSITION c WHERE c/name/value LIKE 'Vital*' OR c/name/value MATCHES {'a', 'b'}",
  'SELECT DISTINCT o/name/value FROM EHR e CONTAINS (OBSERVATION o OR EVALUATION v) LIMIT 3 OFFSET 1',
  `SELECT v/uid/value FROM VERSION v[ALL_VERSIONS] CONTAINS COMPOSITION c CONTAINS OBSERVATION o[${BP}]`,
  'SELECT f/name/value FROM EHR e CONTAINS FOLDER f CONTAINS COMPOSITION c',
  `SELECT o FROM EHR e CONTAINS COMPOSITION c NOT CONTAINS OBSERVATION x[${BP}]`,
  'SELECT LENGTH(c/name/value), CONCAT(c/name/value, \'x\') FROM COMPOSITION c WHERE EXISTS c/context/start_time',
  "SELECT c FROM COMPOSITION c WHERE c/uid/value = $uid AND c/context/start_time > '2020-01-01T00:00:00Z'",
];

const TOKENS = [
  'SELECT', 'FROM', 'WHERE', 'CONTAINS', 'AND', 'OR', 'NOT', 'EXISTS', 'ORDER BY', 'LIMIT', 'OFFSET', 'DISTINCT', 'COUNT(*)', 'MAX(',
  'MATCHES', 'LIKE', '{', '}', '[', ']', '(', ')', '/', ',', '=', '!=', '>', '<=', "'", '"', '$uid', '$x', '\\', '*', '?', 'e', 'c', 'o',
  'EHR', 'COMPOSITION', 'OBSERVATION', 'VERSION', 'FOLDER', 'ELEMENT', 'CLUSTER', 'EHR_STATUS', '[ALL_VERSIONS]', 'at0001', BP,
  'value', 'magnitude', 'name', 'data', 'items', "'2024-01-01'", '12.5', '-1', '99999999999999999999', 'NULL', 'true', '--', ';',
];

/** mulberry32 */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALUES = ["'x'", "'2024-01-01T00:00:00Z'", "'P1D'", '0', '-5', '140.5', 'true', 'NULL', '$x', '$uid', "'*a?'", "'\\'"];

/** A gentle mutation: a value, an operator or a number replaced, so that many queries still run. */
function tweak(query: string, next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  switch (Math.floor(next() * 4)) {
    case 0:
      return query.replace(/'[^']*'|\b\d+(\.\d+)?\b/, pick(VALUES));
    case 1:
      return query.replace(/ (>|<|=|>=|!=) /, ` ${pick(['>', '<', '=', '>=', '<=', '!='])} `);
    case 2:
      return query.replace(/LIMIT \d+/, `LIMIT ${pick(['0', '1', '1000', '10000'])}`);
    default:
      return query.replace(/ DESC| ASC|$/, pick([' DESC', ' ASC', '']));
  }
}

function mutate(query: string, next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const words = query.split(/(\s+|(?=[[\](),/{}])|(?<=[[\](),/{}]))/).filter((w) => w !== undefined && w !== '');
  const edits = 1 + Math.floor(next() * 4);
  for (let i = 0; i < edits; i += 1) {
    const at = Math.floor(next() * (words.length + 1));
    switch (Math.floor(next() * 5)) {
      case 0:
        words.splice(at, 1);
        break;
      case 1:
        words.splice(at, 0, ` ${pick(TOKENS)} `);
        break;
      case 2:
        words[at] = pick(TOKENS);
        break;
      case 3:
        words.splice(at, 0, String.fromCharCode(32 + Math.floor(next() * 95)));
        break;
      default:
        return words.join('').slice(0, Math.floor(next() * query.length));
    }
  }
  return words.join('');
}

function randomQuery(next: () => number): string {
  const length = 3 + Math.floor(next() * 25);
  return Array.from({ length }, () => TOKENS[Math.floor(next() * TOKENS.length)]).join(' ');
}

describe('AQL endpoint: fuzz', function () {
  this.timeout(300_000);
  let cdr: TestCdr;
  const previous = process.env.CDR_AQL_TIMEOUT_MS;

  before(async () => {
    process.env.CDR_AQL_TIMEOUT_MS = '3000';
    cdr = await startTestCdr({ isolated: true });
    await loadVitalSigns(cdr.app);
    await patientWith(cdr.app, [
      { time: '2024-01-01T10:00:00Z', systolic: 130, diastolic: 85 },
      { time: '2024-01-02T10:00:00Z', systolic: 145, diastolic: 92 },
    ]);
    await patientWith(cdr.app, [{ time: '2024-01-03T10:00:00+01:00', systolic: 118, diastolic: 70 }]);
  });
  after(async () => {
    if (previous === undefined) {
      delete process.env.CDR_AQL_TIMEOUT_MS;
    } else {
      process.env.CDR_AQL_TIMEOUT_MS = previous;
    }
    await cdr.close();
  });

  it('answers 1200 random and mutated queries with 200, 400 or 408, each within seconds', async () => {
    const next = random(20_240_301);
    const counts = new Map<number, number>();
    for (let i = 0; i < 1200; i += 1) {
      const seed = SEEDS[i % SEEDS.length] as string;
      const q = i % 4 === 3 ? randomQuery(next) : i % 4 === 2 ? mutate(seed, next) : tweak(seed, next);
      const parameters = { uid: next() < 0.5 ? 'not a uid' : '9b9725a1-347a-40dd-8c68-e78938ec0f19', x: next() < 0.5 ? 1 : 'x' };
      const started = Date.now();
      const res = await request(cdr.app).post('/openehr/v1/query/aql').send({ q, query_parameters: parameters });
      assert.ok([200, 400, 408].includes(res.status), `${res.status} for ${JSON.stringify(q)}: ${JSON.stringify(res.body)}`);
      assert.ok(Date.now() - started < 10_000, `${JSON.stringify(q)} took ${Date.now() - started} ms`);
      counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
    }
    assert.ok((counts.get(200) ?? 0) > 200, `many mutated queries still run: ${JSON.stringify([...counts])}`);
  });
});
