import assert from 'node:assert/strict';
import { evaluatePath, evaluatePathSingle } from './path-query.js';
import { BP_ARCHETYPE, vitalSignsComposition } from './testing/fixtures.js';

const SYSTOLIC = `/content[${BP_ARCHETYPE}]/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value/magnitude`;

describe('rm path evaluator', () => {
  const composition = vitalSignsComposition();

  it('follows plain attribute steps', () => {
    assert.deepEqual(evaluatePath(composition, '/context/start_time/value'), ['2024-03-01T10:30:00+01:00']);
    assert.deepEqual(evaluatePath(composition, '/'), [composition]);
  });

  it('visits every list element a node id predicate accepts', () => {
    assert.deepEqual(evaluatePath(composition, SYSTOLIC), [120, 112]);
  });

  it('narrows by name, in both the short and the long AQL form', () => {
    const sitting = `/content[${BP_ARCHETYPE}]/data[at0001]/events[at0006,'Sitting']/data[at0003]/items[at0004]/value/magnitude`;
    const standing = `/content[${BP_ARCHETYPE}]/data[at0001]/events[at0006 and name/value='Standing']/data[at0003]/items[at0004]/value/magnitude`;
    assert.deepEqual(evaluatePath(composition, sitting), [120]);
    assert.deepEqual(evaluatePath(composition, standing), [112]);
    assert.deepEqual(evaluatePath(composition, "/content[name/value='Blood pressure']/name/value"), ['Blood pressure']);
  });

  it('addresses list elements by position', () => {
    assert.deepEqual(evaluatePath(composition, '/context/participations[2]/function/value'), ['witness']);
    assert.deepEqual(evaluatePath(composition, '/context/participations/function/value'), ['recorder', 'witness']);
  });

  it('returns nothing for paths that reach nothing', () => {
    assert.deepEqual(evaluatePath(composition, '/context/end_time/value'), []);
    assert.deepEqual(evaluatePath(composition, `/content[openEHR-EHR-OBSERVATION.other.v1]/data`), []);
    assert.deepEqual(evaluatePath(composition, '/context/start_time/value/deeper'), []);
    assert.deepEqual(evaluatePath(composition, '/context/participations[3]'), []);
  });

  it('gives a single value only when exactly one is reached', () => {
    assert.equal(evaluatePathSingle(composition, '/composer/name'), 'Dr. A. Nurse');
    assert.equal(evaluatePathSingle(composition, SYSTOLIC), undefined);
  });
});
