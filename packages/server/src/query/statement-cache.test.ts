import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { badRequest } from '@cdr/rm';
import { StatementCache, type Prepared, type StatementRequest } from './statement-cache.js';

/** A stand-in compiler: counts its calls and puts the values into the statement as `shape` says. */
function compiler(shape: (request: StatementRequest) => unknown[]) {
  const calls: StatementRequest[] = [];
  const compile = (request: StatementRequest): Prepared => {
    calls.push(request);
    return { compiled: { sql: 'select $1', params: shape(request), columns: [], namedEhrsOnly: false }, limit: 10, offset: 0, queryLimit: undefined };
  };
  return { calls, compile };
}

describe('compiled statement cache', () => {
  const q = 'SELECT c FROM EHR e[ehr_id/value = $ehr] CONTAINS COMPOSITION c';

  it('compiles a query once for every patient and binds each patient id into its own statement', () => {
    const cache = new StatementCache();
    const { calls, compile } = compiler((r) => [r.parameters.ehr, 'openEHR-EHR-OBSERVATION.x.v1', [r.parameters.ehr, r.ehrId], JSON.stringify(r.parameters.ehr)]);
    for (let i = 0; i < 5; i += 1) {
      const [ehr, scoped] = [randomUUID(), randomUUID()];
      const { compiled } = cache.statement({ q, parameters: { ehr }, ehrId: scoped }, compile);
      assert.deepEqual(compiled.params, [ehr, 'openEHR-EHR-OBSERVATION.x.v1', [ehr, scoped], JSON.stringify(ehr)]);
    }
    assert.equal(calls.length, 1);
  });

  it('keeps other values exact: another value is another statement', () => {
    const cache = new StatementCache();
    const { calls, compile } = compiler((r) => [r.parameters.ehr, r.parameters.min]);
    const ehr = randomUUID();
    assert.deepEqual(cache.statement({ q, parameters: { ehr, min: 140 } }, compile).compiled.params, [ehr, 140]);
    assert.deepEqual(cache.statement({ q, parameters: { ehr, min: 90 } }, compile).compiled.params, [ehr, 90]);
    assert.deepEqual(cache.statement({ q, parameters: { ehr, min: 140 } }, compile).compiled.params, [ehr, 140]);
    assert.equal(calls.length, 2);
  });

  it('compiles with the real values wherever the compiler does more than pass a UUID through', () => {
    const cache = new StatementCache();
    const { calls, compile } = compiler((r) => [`%${String(r.parameters.ehr)}%`]);
    const [a, b] = [randomUUID(), randomUUID()];
    assert.deepEqual(cache.statement({ q, parameters: { ehr: a } }, compile).compiled.params, [`%${a}%`]);
    assert.deepEqual(cache.statement({ q, parameters: { ehr: b } }, compile).compiled.params, [`%${b}%`]);
    assert.deepEqual(cache.statement({ q, parameters: { ehr: a } }, compile).compiled.params, [`%${a}%`]);
    assert.equal(calls.filter((c) => c.parameters.ehr === a || c.parameters.ehr === b).length, 2, 'each real value compiled once');
  });

  it('binds nothing late for an upper-case UUID, and reports errors with the caller\'s own values', () => {
    const cache = new StatementCache();
    const { calls, compile } = compiler((r) => [r.parameters.ehr]);
    const upper = randomUUID().toUpperCase();
    assert.deepEqual(cache.statement({ q, parameters: { ehr: upper } }, compile).compiled.params, [upper]);
    assert.deepEqual(calls.map((c) => c.parameters.ehr), [upper]);

    const refusing = (request: StatementRequest): Prepared => {
      throw badRequest(`no EHR ${String(request.parameters.ehr)} here`);
    };
    const id = randomUUID();
    assert.throws(() => cache.statement({ q: `${q} WHERE 1 = 1`, parameters: { ehr: id } }, refusing), new RegExp(`no EHR ${id} here`));
  });
});
