import assert from 'node:assert/strict';
import { CdrError } from './errors.js';
import { appendStep, formatPath, listSteps, parsePath, quoteName, singleStep, type PathStep } from './paths.js';

const locatable = (nodeId: string, name: string) => ({ archetype_node_id: nodeId, name: { value: name } });

describe('rm paths', () => {
  it('writes LOCATABLE steps with their node id and plain steps bare', () => {
    const steps: PathStep[] = [
      singleStep('content', locatable('openEHR-EHR-OBSERVATION.blood_pressure.v2', 'Blood pressure')),
      singleStep('data', locatable('at0001', 'history')),
      { attribute: 'origin' },
      { attribute: 'value' },
    ];
    assert.equal(formatPath(steps), '/content[openEHR-EHR-OBSERVATION.blood_pressure.v2]/data[at0001]/origin/value');
    assert.equal(formatPath([]), '/');
    assert.equal(appendStep('/', { attribute: 'name' }), '/name');
    assert.equal(appendStep('/context', { attribute: 'start_time' }), '/context/start_time');
  });

  it('adds the name predicate only where siblings share a node id', () => {
    const steps = listSteps('items', [locatable('at0004', 'Systolic'), locatable('at0004', 'Diastolic'), locatable('at0005', 'Mean')]);
    assert.deepEqual(steps.map((s) => formatPath([s])), ["/items[at0004,'Systolic']", "/items[at0004,'Diastolic']", '/items[at0005]']);
  });

  it('gives non-LOCATABLE list elements their 1-based position', () => {
    const steps = listSteps('other_participations', [{ function: { value: 'a' } }, { function: { value: 'b' } }]);
    assert.deepEqual(steps.map((s) => formatPath([s])), ['/other_participations[1]', '/other_participations[2]']);
  });

  it('quotes names with quotes and backslashes and reads them back', () => {
    assert.equal(quoteName("O'Brien \\ co"), "'O\\'Brien \\\\ co'");
    const path = formatPath([{ attribute: 'items', predicate: { kind: 'node', nodeId: 'at0004', name: "O'Brien \\ co" } }]);
    assert.deepEqual(parsePath(path), [{ attribute: 'items', predicate: { kind: 'node', nodeId: 'at0004', name: "O'Brien \\ co" } }]);
  });

  it('parses every predicate form', () => {
    assert.deepEqual(parsePath('/'), []);
    assert.deepEqual(parsePath('/context/start_time/value'), [{ attribute: 'context' }, { attribute: 'start_time' }, { attribute: 'value' }]);
    assert.deepEqual(parsePath("/content[openEHR-EHR-OBSERVATION.x.v1]/items[at0004 and name/value='Systolic']/x[name/value=\"a b\"]/y[3]"), [
      { attribute: 'content', predicate: { kind: 'node', nodeId: 'openEHR-EHR-OBSERVATION.x.v1' } },
      { attribute: 'items', predicate: { kind: 'node', nodeId: 'at0004', name: 'Systolic' } },
      { attribute: 'x', predicate: { kind: 'name', name: 'a b' } },
      { attribute: 'y', predicate: { kind: 'position', position: 3 } },
    ]);
    assert.deepEqual(parsePath("data[at0001, 'x']"), [{ attribute: 'data', predicate: { kind: 'node', nodeId: 'at0001', name: 'x' } }]);
  });

  it('reads back what it writes', () => {
    const written = "/content[openEHR-EHR-SECTION.a.v1]/items[at0002,'Any event']/other_participations[2]/function/value";
    assert.equal(formatPath(parsePath(written)), written);
  });

  it('refuses malformed paths with a 400 naming the position', () => {
    for (const bad of ['/content[', '/content[at0001', "/items[at0001,'x]", '/a//b', '/a[0]', '/a b', '/a[at0001 or x]']) {
      assert.throws(
        () => parsePath(bad),
        (e: unknown) => e instanceof CdrError && e.status === 400 && /position \d+/.test(e.message),
        bad,
      );
    }
  });
});
