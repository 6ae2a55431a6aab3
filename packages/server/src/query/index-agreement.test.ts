/**
 * The AQL compiler (@cdr/aql) and the store's indexer (@cdr/store) must agree on which RM
 * classes have rows of their own in the query index: a class the indexer leaves inside its
 * parent's data would never be found by CONTAINS, and the reverse would lose values.
 */
import assert from 'node:assert/strict';
import { INDEX_NON_LOCATABLE_NODE_TYPES, isIndexNodeType } from '@cdr/aql';
import { allRmClasses } from '@cdr/rm';
import { NON_LOCATABLE_NODE_TYPES, isContainableType } from '@cdr/store';

describe('AQL index: compiler and indexer agree on the node classes', () => {
  it('lists the same non-LOCATABLE node classes', () => {
    assert.deepEqual([...INDEX_NON_LOCATABLE_NODE_TYPES].sort(), [...NON_LOCATABLE_NODE_TYPES].sort());
  });

  it('treats every RM class the same way', () => {
    const differ = allRmClasses().filter((c) => isIndexNodeType(c.name) !== isContainableType(c.name));
    assert.deepEqual(differ.map((c) => c.name), []);
    assert.ok(isIndexNodeType('ELEMENT') && isIndexNodeType('EVENT_CONTEXT') && !isIndexNodeType('DV_TEXT'));
  });
});
