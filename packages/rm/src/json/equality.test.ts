import assert from 'node:assert/strict';
import { at, vitalSignsComposition } from '../testing/fixtures.js';
import { rmDifferences, rmEqual } from './equality.js';
import { withExplicitTypes } from './explicit-types.js';

describe('rm semantic equality', () => {
  it('ignores key order and compares numbers by value', () => {
    assert.ok(rmEqual({ a: 1, b: { c: 'x', d: 2.0 } }, { b: { d: 2, c: 'x' }, a: 1.0 }));
    assert.ok(!rmEqual({ a: 1 }, { a: '1' }));
    assert.ok(!rmEqual({ a: 'x' }, { a: 'x ' }));
  });

  it('treats null, empty lists and absence alike', () => {
    assert.ok(rmEqual({ a: 'x', links: [], uid: null }, { a: 'x' }));
    assert.ok(!rmEqual({ items: [{}] }, {}));
  });

  it('compares _type by class name without generic parameters', () => {
    assert.ok(rmEqual({ _type: 'DV_INTERVAL<DV_COUNT>' }, { _type: 'DV_INTERVAL' }));
    assert.ok(!rmEqual({ _type: 'DV_TEXT' }, { _type: 'DV_CODED_TEXT' }));
  });

  it('completes implicit _type values when the type is known', () => {
    const explicit = vitalSignsComposition();
    const implicit = vitalSignsComposition();
    delete at(implicit, 'name')['_type'];
    delete at(implicit, 'language', 'terminology_id')['_type'];
    assert.ok(!rmEqual(explicit, implicit));
    assert.ok(rmEqual(explicit, implicit, { type: 'COMPOSITION' }));
  });

  it('lists where two objects differ', () => {
    const a = vitalSignsComposition();
    const b = vitalSignsComposition();
    at(b, 'content', 0, 'data', 'events', 1, 'data', 'items', 0, 'value')['magnitude'] = 113;
    assert.deepEqual(rmDifferences(a, b), ['/content[1]/data/events[2]/data/items[1]/value/magnitude: 112 against 113']);
  });

  it('makes every implicit _type explicit without touching the original', () => {
    const value = { name: { value: 'x' }, archetype_node_id: 'at0001', items: [] };
    const explicit = withExplicitTypes(value, 'ITEM_TREE') as Record<string, unknown>;
    assert.deepEqual(explicit, { _type: 'ITEM_TREE', name: { _type: 'DV_TEXT', value: 'x' }, archetype_node_id: 'at0001', items: [] });
    assert.equal((value as Record<string, unknown>)['_type'], undefined);
  });
});
