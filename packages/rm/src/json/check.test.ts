import assert from 'node:assert/strict';
import type { Issue } from '../errors.js';
import { evaluatePath } from '../path-query.js';
import { at, BP_ARCHETYPE, element, vitalSignsComposition } from '../testing/fixtures.js';
import { checkRmObject } from './check.js';

const OBSERVATION = `/content[${BP_ARCHETYPE}]`;
const SYSTOLIC_SITTING = `${OBSERVATION}/data[at0001]/events[at0006,'Sitting']/data[at0003]/items[at0004]`;

function messagesAt(issues: readonly Issue[], path: string): string[] {
  return issues.filter((i) => i.path === path).map((i) => i.message);
}

describe('rm canonical JSON checks', () => {
  it('finds nothing wrong with a valid composition', () => {
    assert.deepEqual(checkRmObject(vitalSignsComposition(), 'COMPOSITION'), []);
  });

  it('reports each missing mandatory COMPOSITION attribute on its own path', () => {
    const composition = vitalSignsComposition();
    for (const key of ['name', 'archetype_node_id', 'language', 'territory', 'category', 'composer', 'archetype_details']) {
      delete composition[key];
    }
    const issues = checkRmObject(composition, 'COMPOSITION');
    assert.deepEqual(
      issues.map((i) => i.path).sort(),
      ['/archetype_details', '/archetype_node_id', '/category', '/composer', '/language', '/name', '/territory'],
    );
    assert.match(issues[0]?.message ?? '', /missing mandatory attribute '.+' of COMPOSITION/);
  });

  it('reports LOCATABLE name and archetype_node_id deep in the tree with AQL paths', () => {
    const composition = vitalSignsComposition();
    const systolic = at(composition, 'content', 0, 'data', 'events', 0, 'data', 'items', 0);
    delete systolic['archetype_node_id'];
    const diastolic = at(composition, 'content', 0, 'data', 'events', 1, 'data', 'items', 1);
    delete diastolic['name'];
    const issues = checkRmObject(composition, 'COMPOSITION');
    assert.deepEqual(issues, [
      {
        path: `${OBSERVATION}/data[at0001]/events[at0006,'Sitting']/data[at0003]/items[1]/archetype_node_id`,
        message: "missing mandatory attribute 'archetype_node_id' of ELEMENT",
      },
      {
        path: `${OBSERVATION}/data[at0001]/events[at0006,'Standing']/data[at0003]/items[at0005]/name`,
        message: "missing mandatory attribute 'name' of ELEMENT",
      },
    ]);
  });

  it('reports the mandatory attributes of data values', () => {
    const composition = vitalSignsComposition();
    delete at(composition, 'content', 0, 'data', 'events', 0, 'data', 'items', 0, 'value')['units'];
    delete at(composition, 'category')['defining_code'];
    const issues = checkRmObject(composition, 'COMPOSITION');
    assert.deepEqual(messagesAt(issues, `${SYSTOLIC_SITTING}/value/units`), ["missing mandatory attribute 'units' of DV_QUANTITY"]);
    assert.deepEqual(messagesAt(issues, '/category/defining_code'), ["missing mandatory attribute 'defining_code' of DV_CODED_TEXT"]);
  });

  it('requires _type where the declared type is abstract', () => {
    const composition = vitalSignsComposition();
    delete at(composition, 'composer')['_type'];
    delete at(composition, 'content', 0)['_type'];
    const issues = checkRmObject(composition, 'COMPOSITION');
    assert.deepEqual(messagesAt(issues, '/composer'), ['_type is required: PARTY_PROXY is abstract']);
    assert.deepEqual(messagesAt(issues, OBSERVATION), ['_type is required: CONTENT_ITEM is abstract']);
  });

  it('accepts _type left out where the declared type is concrete', () => {
    const composition = vitalSignsComposition();
    delete at(composition, 'name')['_type'];
    delete at(composition, 'context')['_type'];
    delete at(composition, 'content', 0, 'data')['_type'];
    assert.deepEqual(checkRmObject(composition, 'COMPOSITION'), []);
  });

  it('refuses unknown, non-conforming and abstract _type values', () => {
    const composition = vitalSignsComposition();
    at(composition, 'composer')['_type'] = 'PARTY_ANYONE';
    at(composition, 'category')['_type'] = 'DV_TEXT';
    at(composition, 'content', 0, 'data', 'events', 0, 'data', 'items', 0, 'value')['_type'] = 'DV_AMOUNT';
    at(composition, 'context')['_type'] = 42;
    const issues = checkRmObject(composition, 'COMPOSITION');
    assert.deepEqual(messagesAt(issues, '/composer'), ["_type 'PARTY_ANYONE' is not an RM class"]);
    assert.deepEqual(messagesAt(issues, '/category'), ["_type 'DV_TEXT' is not a DV_CODED_TEXT"]);
    assert.deepEqual(messagesAt(issues, `${SYSTOLIC_SITTING}/value`), ["_type 'DV_AMOUNT' is abstract"]);
    assert.deepEqual(messagesAt(issues, '/context'), ['_type must be a string']);
  });

  it('checks the JSON kind of every value', () => {
    const composition = vitalSignsComposition();
    const quantity = at(composition, 'content', 0, 'data', 'events', 0, 'data', 'items', 0, 'value');
    quantity['magnitude'] = '120';
    quantity['precision'] = 0.5;
    at(composition, 'context')['participations'] = { _type: 'PARTICIPATION' };
    at(composition, 'composer')['name'] = ['Dr. A. Nurse'];
    composition['language'] = 'en';
    const issues = checkRmObject(composition, 'COMPOSITION');
    assert.deepEqual(messagesAt(issues, `${SYSTOLIC_SITTING}/value/magnitude`), ['expected a number, found a string']);
    assert.deepEqual(messagesAt(issues, `${SYSTOLIC_SITTING}/value/precision`), ['expected an integer, found 0.5']);
    assert.deepEqual(messagesAt(issues, '/context/participations'), ['expected an array, found an object']);
    assert.deepEqual(messagesAt(issues, '/composer/name'), ['expected a single value, found an array']);
    assert.deepEqual(messagesAt(issues, '/language'), ['expected an object (CODE_PHRASE), found a string']);
  });

  it('reports unknown attributes', () => {
    const composition = vitalSignsComposition();
    at(composition, 'content', 0)['time_asserted'] = { _type: 'DV_DATE_TIME', value: '2024-03-01' };
    at(composition, 'context', 'participations', 1)['role'] = 'x';
    const issues = checkRmObject(composition, 'COMPOSITION');
    assert.deepEqual(issues, [
      { path: '/context/participations[2]/role', message: "unknown attribute 'role' of PARTICIPATION" },
      { path: `${OBSERVATION}/time_asserted`, message: "unknown attribute 'time_asserted' of OBSERVATION" },
    ]);
  });

  it('hints at a missing _type when a subtype has the unknown attribute', () => {
    const composition = vitalSignsComposition();
    composition['name'] = { value: 'Vital signs', defining_code: at(composition, 'category')['defining_code'] };
    assert.deepEqual(checkRmObject(composition, 'COMPOSITION'), [
      {
        path: '/name/defining_code',
        message: "unknown attribute 'defining_code' of DV_TEXT (without _type the object is read as a DV_TEXT; DV_CODED_TEXT has it)",
      },
    ]);
  });

  it('treats null as absent', () => {
    const composition = vitalSignsComposition();
    composition['uid'] = null;
    composition['language'] = null;
    assert.deepEqual(checkRmObject(composition, 'COMPOSITION'), [
      { path: '/language', message: "missing mandatory attribute 'language' of COMPOSITION" },
    ]);
  });

  it('checks date, time and duration formats and other value invariants', () => {
    const composition = vitalSignsComposition();
    at(composition, 'context', 'start_time')['value'] = '01/03/2024 10:30';
    const items = at(composition, 'content', 0, 'data', 'events', 0, 'data')['items'] as unknown[];
    items.push(element('at0010', 'Duration', { _type: 'DV_DURATION', value: '30 minutes' }));
    items.push(element('at0011', 'Ratio', { _type: 'DV_PROPORTION', numerator: 1, denominator: 2, type: 7 }));
    const issues = checkRmObject(composition, 'COMPOSITION');
    assert.deepEqual(messagesAt(issues, '/context/start_time/value'), ["'01/03/2024 10:30' is not an ISO 8601 date/time"]);
    const event = `${OBSERVATION}/data[at0001]/events[at0006,'Sitting']/data[at0003]`;
    assert.deepEqual(messagesAt(issues, `${event}/items[at0010]/value/value`), ["'30 minutes' is not an ISO 8601 duration"]);
    assert.equal(messagesAt(issues, `${event}/items[at0011]/value/type`).length, 1);
  });

  it('never throws for input that is not an RM object at all', () => {
    for (const bad of [null, 42, 'x', [], [{}], true]) {
      const issues = checkRmObject(bad, 'COMPOSITION');
      assert.equal(issues.length, 1);
      assert.equal(issues[0]?.path, '/');
    }
    assert.deepEqual(checkRmObject({}, 'NOT_A_CLASS'), [{ path: '/', message: 'NOT_A_CLASS is not an RM class' }]);
  });

  it('stops at hostile nesting instead of overflowing the stack', () => {
    let deep: Record<string, unknown> = { _type: 'ELEMENT', name: { value: 'leaf' }, archetype_node_id: 'at0001' };
    for (let i = 0; i < 5000; i += 1) {
      deep = { _type: 'CLUSTER', name: { value: 'c' }, archetype_node_id: 'at0001', items: [deep] };
    }
    const issues = checkRmObject(deep, 'CLUSTER');
    assert.ok(issues.length > 0 && issues.length <= 2);
    assert.ok(issues.every((i) => /nested deeper than/.test(i.message)));
  });

  it('writes paths the path evaluator resolves to the offending value', () => {
    const composition = vitalSignsComposition();
    at(composition, 'content', 0, 'data', 'events', 1, 'data', 'items', 0, 'value')['magnitude'] = 'high';
    at(composition, 'context', 'participations', 1, 'function')['value'] = 7;
    const issues = checkRmObject(composition, 'COMPOSITION');
    assert.equal(issues.length, 2);
    assert.deepEqual(
      issues.map((i) => evaluatePath(composition, i.path)),
      [[7], ['high']],
    );
  });
});
