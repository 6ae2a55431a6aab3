import assert from 'node:assert/strict';
import { CdrError } from '../errors.js';
import {
  allAttributes,
  allRmClasses,
  ancestry,
  attribute,
  concreteSubtypes,
  isAbstract,
  isLocatableType,
  isPrimitiveType,
  isRmClassName,
  isSubtypeOf,
  rmClass,
} from './registry.js';
import { baseTypeName, parseTypeName } from './type-names.js';

describe('rm model table', () => {
  it('lists COMPOSITION attributes inherited first, in XSD order', () => {
    assert.deepEqual(
      allAttributes('COMPOSITION').map((a) => a.name),
      ['archetype_node_id', 'name', 'uid', 'links', 'archetype_details', 'feeder_audit', 'language', 'territory', 'category', 'composer', 'context', 'content'],
    );
  });

  it('marks the mandatory attributes of COMPOSITION', () => {
    const mandatory = allAttributes('COMPOSITION')
      .filter((a) => a.mandatory)
      .map((a) => a.name);
    assert.deepEqual(mandatory, ['archetype_node_id', 'name', 'archetype_details', 'language', 'territory', 'category', 'composer']);
  });

  it('keeps a redefined attribute where the ancestor declared it', () => {
    // COMPOSITION makes LOCATABLE.archetype_details mandatory; LOCATABLE_REF narrows OBJECT_REF.id
    assert.equal(attribute('LOCATABLE', 'archetype_details')?.mandatory, false);
    assert.equal(attribute('COMPOSITION', 'archetype_details')?.mandatory, true);
    assert.equal(attribute('OBJECT_REF', 'id')?.type, 'OBJECT_ID');
    assert.equal(attribute('LOCATABLE_REF', 'id')?.type, 'UID_BASED_ID');
    assert.deepEqual(
      allAttributes('LOCATABLE_REF').map((a) => a.name),
      ['id', 'namespace', 'type', 'path'],
    );
  });

  it('describes lists, cardinality and declared types', () => {
    const content = attribute('COMPOSITION', 'content');
    assert.deepEqual(content && { type: content.type, multiple: content.multiple, mandatory: content.mandatory }, {
      type: 'CONTENT_ITEM',
      multiple: true,
      mandatory: false,
    });
    assert.equal(attribute('CLUSTER', 'items')?.mandatory, true);
    assert.equal(attribute('DV_COUNT', 'magnitude')?.type, 'Integer64');
    assert.equal(attribute('DV_QUANTITY', 'magnitude')?.type, 'Double');
    assert.equal(attribute('COMPOSITION', 'archetype_node_id')?.xmlAttribute, true);
    assert.equal(attribute('OBSERVATION', 'workflow_id')?.xmlName, 'work_flow_id');
    assert.equal(attribute('COMPOSITION', 'nonsense'), undefined);
    assert.equal(attribute('NOT_A_CLASS', 'name'), undefined);
  });

  it('answers subtyping and abstractness', () => {
    assert.ok(isSubtypeOf('DV_CODED_TEXT', 'DV_TEXT'));
    assert.ok(isSubtypeOf('DV_CODED_TEXT', 'DATA_VALUE'));
    assert.ok(isSubtypeOf('POINT_EVENT', 'LOCATABLE'));
    assert.ok(isSubtypeOf('DV_TEXT', 'DV_TEXT'));
    assert.ok(!isSubtypeOf('DV_TEXT', 'DV_CODED_TEXT'));
    assert.ok(!isSubtypeOf('CODE_PHRASE', 'DATA_VALUE'));
    assert.ok(!isSubtypeOf('NOT_A_CLASS', 'LOCATABLE'));
    assert.ok(isAbstract('PARTY_PROXY'));
    assert.ok(isAbstract('ITEM_STRUCTURE'));
    assert.ok(!isAbstract('ITEM_TREE'));
    assert.ok(!isAbstract('NOT_A_CLASS'));
    assert.deepEqual(ancestry('DV_QUANTITY'), ['DV_QUANTITY', 'DV_AMOUNT', 'DV_QUANTIFIED', 'DV_ORDERED', 'DATA_VALUE']);
  });

  it('lists the concrete subtypes of an abstract class', () => {
    assert.deepEqual([...concreteSubtypes('PARTY_PROXY')].sort(), ['PARTY_IDENTIFIED', 'PARTY_RELATED', 'PARTY_SELF']);
    assert.deepEqual([...concreteSubtypes('CONTENT_ITEM')].sort(), [
      'ACTION',
      'ADMIN_ENTRY',
      'EVALUATION',
      'GENERIC_ENTRY',
      'INSTRUCTION',
      'OBSERVATION',
      'SECTION',
    ]);
    assert.ok(isLocatableType('EHR_STATUS'));
    assert.ok(!isLocatableType('EVENT_CONTEXT'));
  });

  it('refuses to list attributes of an unknown class', () => {
    assert.equal(rmClass('NOT_A_CLASS'), undefined);
    assert.throws(() => allAttributes('NOT_A_CLASS'), (e: unknown) => e instanceof CdrError && e.status === 500);
  });

  it('is internally consistent: parents exist, types resolve, no attribute declared twice by one class', () => {
    for (const rm of allRmClasses()) {
      if (rm.parent !== undefined) {
        assert.ok(isRmClassName(rm.parent), `${rm.name}: parent ${rm.parent}`);
      }
      const names = rm.attributes.map((a) => a.name);
      assert.equal(new Set(names).size, names.length, `${rm.name} declares an attribute twice`);
      for (const a of allAttributes(rm.name)) {
        assert.ok(isPrimitiveType(a.type) || isRmClassName(a.type), `${rm.name}.${a.name}: type ${a.type}`);
      }
    }
  });

  it('parses generic type names', () => {
    assert.deepEqual(parseTypeName('DV_INTERVAL<DV_QUANTITY>'), {
      base: 'DV_INTERVAL',
      parameters: [{ base: 'DV_QUANTITY', parameters: [] }],
    });
    assert.equal(baseTypeName('DV_INTERVAL<DV_DATE_TIME>'), 'DV_INTERVAL');
    assert.equal(parseTypeName('DV_INTERVAL<'), undefined);
    assert.equal(parseTypeName('1ABC'), undefined);
  });
});
