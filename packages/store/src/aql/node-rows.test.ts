import assert from 'node:assert/strict';
import { BP_ARCHETYPE, vitalSignsComposition } from '@cdr/rm/testing/fixtures';
import type { JsonObject } from '../model.js';
import { indexRows, isArchetypeId } from './node-rows.js';

describe('AQL index rows', () => {
  const { nodes } = indexRows(vitalSignsComposition() as JsonObject);
  const byPath = (archPath: string, archId = BP_ARCHETYPE) => nodes.filter((n) => n.archId === archId && n.archPath === archPath);

  it('gives every containable node a row, numbered in pre-order with nested-set intervals', () => {
    assert.deepEqual(
      nodes.map((n) => n.rmType),
      ['COMPOSITION', 'EVENT_CONTEXT', 'OBSERVATION', 'HISTORY', 'POINT_EVENT', 'ITEM_TREE', 'ELEMENT', 'ELEMENT', 'POINT_EVENT', 'ITEM_TREE', 'ELEMENT', 'ELEMENT'],
    );
    assert.deepEqual(nodes.map((n) => n.num), nodes.map((_, i) => i));
    assert.equal(nodes[0]?.numCap, 11);
    const observation = nodes[2]!;
    assert.deepEqual([observation.num, observation.numCap, observation.parentNum, observation.attr], [2, 11, 0, 'content']);
    for (const node of nodes.slice(1)) {
      const parent = nodes[node.parentNum!]!;
      assert.ok(parent.num < node.num && node.numCap <= parent.numCap, `node ${node.num} lies inside its parent`);
    }
  });

  it('keeps a node\'s own attributes and leaves its child nodes to their rows', () => {
    const composition = nodes[0]!;
    assert.ok(!('content' in composition.data) && !('context' in composition.data));
    assert.equal((composition.data.name as JsonObject).value, 'Vital signs');
    const context = nodes[1]!;
    assert.equal(((context.data.participations as JsonObject[])[0]!.function as JsonObject).value, 'recorder');
    const systolic = byPath('/data[at0001]/events[at0006]/data[at0003]/items[at0004]');
    assert.deepEqual(systolic.map((n) => (n.data.value as JsonObject).magnitude), [120, 112]);
  });

  it('locates each node from its nearest archetype root and in the JSON', () => {
    const observation = nodes[2]!;
    assert.deepEqual([observation.archRoot, observation.archId, observation.archPath], [2, BP_ARCHETYPE, '']);
    const second = byPath('/data[at0001]/events[at0006]')[1]!;
    assert.equal(second.name, 'Standing');
    assert.equal(second.archRoot, 2);
    assert.deepEqual(second.jsonPath, ['content', '0', 'data', 'events', '1']);
    assert.equal(nodes[1]!.archPath, '/context');
  });

  it('tells archetype ids from node codes', () => {
    assert.ok(isArchetypeId('openEHR-EHR-CLUSTER.device.v1'));
    assert.ok(isArchetypeId('openEHR-EHR-OBSERVATION.blood_pressure.v2.1.0'));
    assert.ok(!isArchetypeId('at0001'));
    assert.ok(!isArchetypeId('id5.1'));
  });

  it('records the compositions a folder lists', () => {
    const folder: JsonObject = {
      _type: 'FOLDER',
      name: { _type: 'DV_TEXT', value: 'root' },
      archetype_node_id: 'openEHR-EHR-FOLDER.generic.v1',
      folders: [
        {
          _type: 'FOLDER',
          name: { _type: 'DV_TEXT', value: 'sub' },
          archetype_node_id: 'openEHR-EHR-FOLDER.generic.v1',
          items: [
            { _type: 'OBJECT_REF', id: { _type: 'HIER_OBJECT_ID', value: '7C0A9DF0-564F-4F34-8E65-92586C64EF56' }, namespace: 'local', type: 'VERSIONED_COMPOSITION' },
            { _type: 'OBJECT_REF', id: { _type: 'HIER_OBJECT_ID', value: 'not-a-uuid' }, namespace: 'local', type: 'VERSIONED_COMPOSITION' },
          ],
        },
      ],
    };
    const rows = indexRows(folder);
    assert.deepEqual(rows.nodes.map((n) => [n.num, n.numCap, n.name]), [[0, 1, 'root'], [1, 1, 'sub']]);
    assert.deepEqual(rows.folderItems, [{ num: 1, target: '7c0a9df0-564f-4f34-8e65-92586c64ef56' }]);
    assert.ok(Array.isArray(rows.nodes[1]!.data.items), 'folder items stay in the folder\'s data');
  });
});
