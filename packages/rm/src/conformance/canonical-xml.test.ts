/**
 * Conformance of the XML codec on public canonical XML compositions: XML -> JSON passes
 * the checks, and XML -> JSON -> XML -> JSON is stable (semantically, and the written XML
 * byte for byte). RM-invalid public files are listed with the reason.
 */
import assert from 'node:assert/strict';
import { CdrError } from '../errors.js';
import { checkRmObject } from '../json/check.js';
import { rmDifferences } from '../json/equality.js';
import { describeShared } from '../testing/shared.js';
import { fromXml } from '../xml/from-xml.js';
import { toXml } from '../xml/to-xml.js';
import { isNamedInvalid, publicFiles, readText, Tally } from './public-data.js';

const FOLDERS = [
  'testdata/ehrbase-sdk/test-data/composition/canonical_xml',
  'testdata/ehrbase-integration-tests/test_data_sets/xml_compositions',
];

/** XML compositions that read fine but break the RM, with a pattern every issue matches. */
const RM_INVALID: Readonly<Record<string, { readonly reason: string; readonly issues: RegExp }>> = {
  'diadem.xml': { reason: 'COMPOSITION without archetype_details', issues: /'archetype_details' of COMPOSITION/ },
  'diadem_default_schema.xml': { reason: 'COMPOSITION without archetype_details', issues: /'archetype_details' of COMPOSITION/ },
  'test_all_types.fixed.v1.xml': { reason: 'COMPOSITION without archetype_details', issues: /'archetype_details' of COMPOSITION/ },
  'RIPPLE_conformanceTesting_OBSERVATION.pulse.v1.xml': {
    reason: 'COMPOSITION without archetype_details, OBSERVATION without language',
    issues: /'archetype_details' of COMPOSITION|'language' of OBSERVATION/,
  },
};

describeShared('rm conformance: public canonical XML compositions', () => {
  const files = publicFiles('.xml', ...FOLDERS);
  const tally = new Tally();
  after(() => tally.print());

  it('finds the public compositions', () => {
    assert.ok(files.length >= 20, `only ${files.length} files found`);
  });

  for (const file of files) {
    const invalid = RM_INVALID[file.name];
    if (isNamedInvalid(file)) {
      it(`${file.name} (named invalid) is refused`, () => {
        let refused: boolean;
        try {
          refused = checkRmObject(fromXml(readText(file)), 'COMPOSITION').length > 0;
        } catch (error) {
          refused = error instanceof CdrError && error.status < 500;
        }
        tally.record('named invalid, and refused', refused);
        assert.ok(refused);
      });
    } else if (invalid !== undefined) {
      it(`${file.name} is refused: ${invalid.reason}`, () => {
        const issues = checkRmObject(fromXml(readText(file)), 'COMPOSITION');
        tally.record('listed as RM-invalid, and refused for the listed reason', issues.length > 0 && issues.every((i) => invalid.issues.test(i.message)));
        assert.ok(issues.length > 0, 'no issues found');
        assert.deepEqual(issues.filter((i) => !invalid.issues.test(i.message)), []);
      });
    } else {
      it(`${file.name} reads into canonical JSON that passes the checks, and is stable`, () => {
        const json = fromXml(readText(file));
        const issues = checkRmObject(json, 'COMPOSITION');
        tally.record('canonical XML -> JSON passes checkRmObject', issues.length === 0);
        assert.deepEqual(issues, []);
        const written = toXml(json);
        const again = fromXml(written);
        const differences = rmDifferences(again, json, { type: 'COMPOSITION' });
        const stableText = toXml(again) === written;
        tally.record('canonical XML -> JSON -> XML -> JSON stable', differences.length === 0 && stableText);
        assert.deepEqual(differences, []);
        assert.ok(stableText, 'the XML written a second time differs from the first');
      });
    }
  }
});
