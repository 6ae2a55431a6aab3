/**
 * Conformance of the canonical JSON checks and the XML codec on public compositions:
 * every canonical JSON composition passes `checkRmObject` and survives JSON -> XML -> JSON
 * semantically unchanged. Public files that are not canonical JSON, or break the RM, are
 * listed with the reason, and the test holds them to it.
 */
import assert from 'node:assert/strict';
import { checkRmObject } from '../json/check.js';
import { rmDifferences } from '../json/equality.js';
import { describeShared } from '../testing/shared.js';
import { fromXml } from '../xml/from-xml.js';
import { toXml } from '../xml/to-xml.js';
import { isNamedInvalid, publicFiles, readText, Tally, type PublicFile } from './public-data.js';

const FOLDERS = [
  'testdata/ehrbase-sdk/test-data/composition/canonical_json',
  'testdata/ehrbase-integration-tests/test_data_sets/compositions/CANONICAL_JSON',
];

/** Files in the canonical JSON folders that hold another format. */
const NOT_CANONICAL: Readonly<Record<string, string>> = {
  'full_composition.json': 'a path-keyed legacy format (keys like /content[...], @class)',
  'composition_with_dvinterval_composite.json': 'content in a path-keyed legacy format',
  'rawdb_composition.json': 'a database-internal format with path-keyed content',
  'rawdb_composition_history.json': 'a database-internal fragment, not a COMPOSITION',
  'rawdb_composition_observation_event.json': 'a database-internal fragment, not a COMPOSITION',
  'rawdb_composition_observation_event_item.json': 'a JSON array of fragments',
  'rawdb_returning_array.json': 'a JSON array of fragments',
};

/** Canonical JSON files that break the RM, with a pattern every reported issue matches. */
const RM_INVALID: Readonly<Record<string, { readonly reason: string; readonly issues: RegExp }>> = {
  'all_types_systematic_tests_feeder_audit.json': {
    reason: 'feeder_system_audit written directly on INSTRUCTION and ADMIN_ENTRY (it belongs in FEEDER_AUDIT)',
    issues: /unknown attribute 'feeder_system_audit'/,
  },
  'family_history.v.1.2.3__.json': { reason: 'EVALUATION has no attribute time_asserted', issues: /unknown attribute 'time_asserted'/ },
  'Test_dv_ordinal_open_constraint.v0__.json': {
    reason: 'DV_ORDINAL.value written as a string; symbol typed with "type" instead of "_type"',
    issues: /expected an integer, found a string|unknown attribute 'type' of DV_CODED_TEXT/,
  },
  'Test_dv_ordinal_with_constraints.v0__.json': { reason: 'DV_ORDINAL.value written as a string', issues: /expected an integer, found a string/ },
  'Test_dv_proportion_open_constraint.v0__.json': {
    reason: 'DV_PROPORTION numbers written as strings',
    issues: /expected (a number|an integer), found a string/,
  },
  'Test_dv_proportion_open_constraint_precision_1.v0__.json': {
    reason: 'DV_PROPORTION numbers written as strings',
    issues: /expected (a number|an integer), found a string/,
  },
  'Test_dv_quantity_open_constraint.v0__.json': { reason: 'DV_QUANTITY.magnitude written as a string', issues: /expected a number, found a string/ },
  'Test_dv_quantity_property_constrained.v0__.json': { reason: 'DV_QUANTITY.magnitude written as a string', issues: /expected a number, found a string/ },
  'Test_dv_quantity_property_units_constrained.v0__.json': {
    reason: 'DV_QUANTITY.magnitude written as a string',
    issues: /expected a number, found a string/,
  },
  'Test_dv_quantity_property_units_constrained_with_magnitude_range.v0__.json': {
    reason: 'DV_QUANTITY.magnitude written as a string',
    issues: /expected a number, found a string/,
  },
};

function parse(file: PublicFile): unknown {
  return JSON.parse(readText(file)) as unknown;
}

describeShared('rm conformance: public canonical JSON compositions', () => {
  const files = publicFiles('.json', ...FOLDERS);
  const tally = new Tally();
  after(() => tally.print());

  it('finds the public compositions', () => {
    assert.ok(files.length > 100, `only ${files.length} files found`);
  });

  for (const file of files) {
    if (isNamedInvalid(file)) {
      continue;
    }
    const notCanonical = NOT_CANONICAL[file.name];
    const invalid = RM_INVALID[file.name];
    if (notCanonical !== undefined) {
      it(`${file.name} is refused: ${notCanonical}`, () => {
        const issues = checkRmObject(parse(file), 'COMPOSITION');
        tally.record('listed as not canonical JSON, and refused', issues.length > 0);
        assert.ok(issues.length > 0);
      });
    } else if (invalid !== undefined) {
      it(`${file.name} is refused: ${invalid.reason}`, () => {
        const issues = checkRmObject(parse(file), 'COMPOSITION');
        const asListed = issues.length > 0 && issues.every((i) => invalid.issues.test(i.message));
        tally.record('listed as RM-invalid, and refused for the listed reason', asListed);
        assert.ok(issues.length > 0, 'no issues found');
        assert.deepEqual(issues.filter((i) => !invalid.issues.test(i.message)), []);
      });
    } else {
      it(`${file.name} passes the checks and round-trips through XML`, () => {
        const composition = parse(file);
        const issues = checkRmObject(composition, 'COMPOSITION');
        tally.record('canonical JSON passes checkRmObject', issues.length === 0);
        assert.deepEqual(issues, []);
        const back = fromXml(toXml(composition));
        const differences = rmDifferences(back, composition, { type: 'COMPOSITION' });
        tally.record('canonical JSON round-trip JSON -> XML -> JSON', differences.length === 0);
        assert.deepEqual(differences, []);
      });
    }
  }

  it('refuses the deliberately invalid composition, naming the bad types', () => {
    const [file] = publicFiles('.json', FOLDERS[0] as string).filter((f) => f.name === 'invalid.json');
    assert.ok(file);
    const messages = checkRmObject(parse(file), 'COMPOSITION').map((i) => i.message);
    assert.ok(messages.includes("_type 'EVENT_CONTEXT_WRONG' is not an RM class"));
    assert.ok(messages.some((m) => m.startsWith("_type 'OBSERVATIONXXX")));
  });
});
