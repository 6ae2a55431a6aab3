/**
 * Keeps the model table honest against the openEHR RM 1.1.0 JSON Schema (read in place
 * from ../shared): class names, attribute names and mandatory flags. Deliberate deviations
 * are listed here with their reasons; any other difference fails.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describeShared, sharedPath } from '../testing/shared.js';
import { allAttributes, allRmClasses, rmClass } from './registry.js';

interface SchemaDefinition {
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** Schema classes outside what this CDR handles (demographics, extracts, messaging, ADL 2 and foundation types). */
const OUT_OF_SCOPE = new Set([
  'ADDRESS', 'ADDRESSED_MESSAGE', 'AGENT', 'ARCHETYPE_HRID', 'ARRAY', 'CAPABILITY', 'CONTACT', 'DATE', 'DATE_TIME',
  'DURATION', 'EXTRACT', 'EXTRACT_ACTION_REQUEST', 'EXTRACT_CHAPTER', 'EXTRACT_ENTITY_CHAPTER', 'EXTRACT_ENTITY_MANIFEST',
  'EXTRACT_FOLDER', 'EXTRACT_MANIFEST', 'EXTRACT_PARTICIPATION', 'EXTRACT_REQUEST', 'EXTRACT_SPEC', 'EXTRACT_UPDATE_SPEC',
  'EXTRACT_VERSION_SPEC', 'GENERIC_CONTENT_ITEM', 'GROUP', 'INTERVAL', 'LIST', 'MESSAGE', 'OPENEHR_CONTENT_ITEM',
  'ORGANISATION', 'PARTY_IDENTITY', 'PARTY_RELATIONSHIP', 'PERSON', 'RESOURCE_DESCRIPTION', 'RESOURCE_DESCRIPTION_ITEM',
  'ROLE', 'SET', 'SYNC_EXTRACT', 'SYNC_EXTRACT_REQUEST', 'SYNC_EXTRACT_SPEC', 'TERMINOLOGY_CODE', 'TERMINOLOGY_TERM',
  'TIME', 'TRANSLATION_DETAILS', 'URI', 'VALIDITY_KIND', 'VERSION_STATUS', 'X_CONTRIBUTION', 'X_VERSIONED_COMPOSITION',
  'X_VERSIONED_EHR_ACCESS', 'X_VERSIONED_EHR_STATUS', 'X_VERSIONED_FOLDER', 'X_VERSIONED_OBJECT', 'X_VERSIONED_PARTY',
]);

/** Concrete classes of our table the schema does not define (it has no VERSIONED_<T> classes). */
const NOT_IN_SCHEMA = new Set(['VERSIONED_COMPOSITION', 'VERSIONED_EHR_STATUS', 'VERSIONED_EHR_ACCESS', 'VERSIONED_FOLDER']);

/** `CLASS.attribute` mandatory in the schema but optional in our table, and why. */
const OPTIONAL_HERE: Readonly<Record<string, string>> = {
  'EHR_STATUS.archetype_details':
    'the RM requires it of archetype roots only; clients (EHRbase among them) send EHR_STATUS without it',
  'FOLDER.archetype_details': 'the schema uses one FOLDER definition for sub-folders too, which are not archetype roots',
  'DV_INTERVAL.lower_included': 'minOccurs=0 in the XML schema, and omitted for unbounded limits by widely used data',
  'DV_INTERVAL.upper_included': 'minOccurs=0 in the XML schema, and omitted for unbounded limits by widely used data',
};

/** `CLASS.attribute` in our table that this bundle lacks, and why. */
const NOT_IN_THIS_BUNDLE: Readonly<Record<string, string>> = {
  'DV_QUANTITY.property':
    'defined by RM 1.1.0 and by the master branch of the JSON Schema; missing from the schema-fixes bundle',
};

function loadDefinitions(): Readonly<Record<string, SchemaDefinition>> {
  const schema = JSON.parse(
    readFileSync(sharedPath('reference/openehr-its-json/branch-all_schema_fixes/openehr_rm_1.1.0_all.json'), 'utf8'),
  ) as { definitions: Record<string, SchemaDefinition> };
  return schema.definitions;
}

describeShared('rm model table against the RM 1.1.0 JSON Schema', () => {
  let definitions: Readonly<Record<string, SchemaDefinition>>;
  before(() => {
    definitions = loadDefinitions();
  });

  it('models every schema class in scope, and nothing concrete the schema lacks', () => {
    const missing = Object.keys(definitions).filter((name) => !OUT_OF_SCOPE.has(name) && !rmClass(name));
    const extra = allRmClasses()
      .filter((c) => !c.abstract && !(c.name in definitions) && !NOT_IN_SCHEMA.has(c.name))
      .map((c) => c.name);
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
  });

  it('has the attribute names and mandatory flags of the schema', () => {
    const differences: string[] = [];
    for (const [name, definition] of Object.entries(definitions)) {
      const rm = rmClass(name);
      if (!rm || rm.abstract) {
        continue;
      }
      const schemaNames = new Set(Object.keys(definition.properties ?? {}).filter((p) => p !== '_type'));
      const required = new Set(definition.required ?? []);
      const ours = allAttributes(name);
      for (const a of ours) {
        if (!schemaNames.has(a.name)) {
          if (!(`${name}.${a.name}` in NOT_IN_THIS_BUNDLE)) {
            differences.push(`${name}.${a.name}: not in the schema`);
          }
        } else if (a.mandatory !== required.has(a.name) && !(`${name}.${a.name}` in OPTIONAL_HERE && !a.mandatory)) {
          differences.push(`${name}.${a.name}: mandatory ${a.mandatory} here, ${required.has(a.name)} in the schema`);
        }
      }
      for (const schemaName of schemaNames) {
        if (!ours.some((a) => a.name === schemaName)) {
          differences.push(`${name}.${schemaName}: missing here`);
        }
      }
    }
    assert.deepEqual(differences, []);
  });

  it('lists only deviations that still exist', () => {
    for (const key of Object.keys(OPTIONAL_HERE)) {
      const [className = '', attributeName = ''] = key.split('.');
      assert.ok(definitions[className]?.required?.includes(attributeName), `${key} is no longer required by the schema`);
    }
    for (const key of Object.keys(NOT_IN_THIS_BUNDLE)) {
      const [className = '', attributeName = ''] = key.split('.');
      assert.ok(!(attributeName in (definitions[className]?.properties ?? {})), `${key} is in the schema now`);
    }
  });
});
