/**
 * Conformance tier: replays the public canonical JSON and XML compositions of ../shared
 * with their operational templates. Each valid one must commit and read back
 * semantically equal, in JSON and in XML (server-set fields aside).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import request from 'supertest';
import { fromXml, rmDifferences } from '@cdr/rm';
import { describeShared, sharedPath } from '@cdr/rm/testing/shared';
import { startTestCdr, type TestCdr } from '../testing/test-app.js';

function filesUnder(dir: string, extension: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      found.push(...filesUnder(path, extension));
    } else if (entry.toLowerCase().endsWith(extension)) {
      found.push(path);
    }
  }
  return found;
}

/** Every public OPT by its template id. */
function templateIndex(): Map<string, string> {
  const index = new Map<string, string>();
  for (const path of filesUnder(sharedPath('testdata'), '.opt')) {
    const text = readFileSync(path, 'utf8');
    const match = /<template_id>\s*<value>([^<]+)<\/value>/.exec(text);
    if (match && !index.has(match[1]!.trim()) && !/invalid/i.test(path)) {
      index.set(match[1]!.trim(), path);
    }
  }
  return index;
}

/**
 * Public files that are not valid canonical RM data although their names do not say so,
 * each with the reason; the test asserts that they are refused (400 or 422).
 */
const NOT_RM_VALID: Readonly<Record<string, string>> = {
  'Test_dv_quantity_open_constraint.v0__.json': 'DV_QUANTITY.magnitude written as a string',
  'Test_dv_quantity_property_constrained.v0__.json': 'DV_QUANTITY.magnitude written as a string',
  'Test_dv_quantity_property_units_constrained.v0__.json': 'DV_QUANTITY.magnitude written as a string',
  'Test_dv_quantity_property_units_constrained_with_magnitude_range.v0__.json': 'DV_QUANTITY.magnitude written as a string',
  'Test_dv_proportion_open_constraint.v0__.json': 'DV_PROPORTION numerator, denominator and type written as strings',
  'Test_dv_proportion_open_constraint_precision_1.v0__.json': 'DV_PROPORTION numerator, denominator and type written as strings',
  'Test_dv_ordinal_open_constraint.v0__.json': 'DV_ORDINAL.value written as a string, and a `type` attribute on DV_CODED_TEXT',
  'Test_dv_ordinal_with_constraints.v0__.json': 'DV_ORDINAL.value written as a string',
  'all_types_systematic_tests_feeder_audit.json': 'feeder_system_audit placed on entries instead of inside FEEDER_AUDIT',
  'rawdb_composition.json': 'a GENERIC_ID without value and scheme, a PARTY_REF without type',
  'family_history.v.1.2.3__.json': "EVALUATION has no attribute 'time_asserted' in RM 1.1.0",
  'consult_record__.xml': 'Java bean properties (qualifiedRmEntity, domainConcept, ...) inside ARCHETYPE_ID elements',
  'family_history.v2__.xml': 'Java bean properties (qualifiedRmEntity, domainConcept, ...) inside ARCHETYPE_ID elements',
  'family_history__.xml': 'Java bean properties (qualifiedRmEntity, domainConcept, ...) inside ARCHETYPE_ID elements',
  'family_history__with_uid.xml': 'Java bean properties (qualifiedRmEntity, domainConcept, ...) inside ARCHETYPE_ID elements',
};

/**
 * Public files that are valid RM data but break their own template (as the published OPT
 * has it), each with the reason; they must be refused with 422.
 */
const NOT_TEMPLATE_VALID: Readonly<Record<string, string>> = {
  'all_types_no_multimedia.json': "a DV_DATE with a day where the pattern yyyy-??-XX forbids one",
  'all_types_systematic_tests.json': "a DV_DATE with a day where the pattern yyyy-??-XX forbids one",
  'test_all_types.v1.xml': 'codes from terminologies the template does not name',
  'cardinality_of_section__full.json': 'more SECTIONs than the template allows (1..1)',
  'clinical_content_validation__full.json': 'node names the template does not allow',
  'compo_feeder_audit_details.json': "element names other than the names the template fixes ('Analyte name' for a German template)",
  'compo_with_nested_party_identified.json': 'a SECTION (allgemeine_angaben) that this version of Corona_Anamnese does not have',
  'compo_with_nested_party_related.json': 'a SECTION (allgemeine_angaben) that this version of Corona_Anamnese does not have',
  'compo_with_nested_party_self.json': 'a SECTION (allgemeine_angaben) that this version of Corona_Anamnese does not have',
  'compo_with_nested_provider.json': 'a SECTION (allgemeine_angaben) that this version of Corona_Anamnese does not have',
  'datetime_tests.json': 'elements (at0010.1, ...) that this version of test_all_types does not have',
  'duration_tests.json': 'elements (at0010.1, ...) that this version of test_all_types does not have',
  'participation_no_content.json': 'no content where the template requires at least one entry',
  'simple_composition_dvinterval.json': 'DV_DATE bounds where the template requires DV_DATE_TIME',
  'virology_finding_with_specimen.json': 'a composition name and context structure other than the template fixes',
  'Test_dv_boolean_true_false.v0__.json': 'false where the template allows only true (a seed the EHRbase suite edits before use)',
  'Test_dv_count_range_constraint.v0__.json': '25 where the template allows 10..20 (a seed the EHRbase suite edits before use)',
  'Test_dv_interval_dv_count_lower_upper_constraint.v0__.json': 'a lower bound out of the template range (a seed the EHRbase suite edits)',
  'Test_dv_interval_dv_count_open_constraint.v0__.json': 'an interval whose lower bound is above its upper bound',
  'Test_dv_interval_dv_quantity_lower_upper_constraint.v0__.json': 'a lower bound out of the template range (a seed the EHRbase suite edits)',
  'Test_dv_interval_dv_quantity_open_constraint.v0__.json': 'an interval whose lower bound is above its upper bound',
  'Test_dv_multimedia_open_constraint.v0__.json': 'a media type outside the template list (a seed the EHRbase suite edits)',
  'Test_dv_parsable_open_constraint.v0__.json': 'a formalism outside the template list (a seed the EHRbase suite edits)',
};

/**
 * Files named invalid whose fault only a terminology service can find: EHRbase checks
 * these codes against an external FHIR terminology server, which this CDR does not use.
 */
const NEEDS_TERMINOLOGY_SERVICE = new Set([
  'terminology_test.ehrbase.org.v1__invalid.json',
  'terminology_test.ehrbase.org.v1_update_invalid_codes.json',
  'terminology_test2.ehrbase.org.v1__invalid_code_system.json',
]);

interface Case {
  readonly file: string;
  readonly format: 'json' | 'xml';
}

function cases(): Case[] {
  const json = [
    'testdata/ehrbase-sdk/test-data/composition/canonical_json',
    'testdata/ehrbase-integration-tests/test_data_sets/compositions/CANONICAL_JSON',
  ].flatMap((dir) => filesUnder(sharedPath(dir), '.json').map((file) => ({ file, format: 'json' as const })));
  const xml = [
    'testdata/ehrbase-sdk/test-data/composition/canonical_xml',
    'testdata/ehrbase-integration-tests/test_data_sets/compositions/CANONICAL_XML',
  ].flatMap((dir) => filesUnder(sharedPath(dir), '.xml').map((file) => ({ file, format: 'xml' as const })));
  return [...json, ...xml];
}

/** Compares compositions the way a client would: the server sets the uid, nothing else. */
function differences(sent: Record<string, unknown>, received: unknown): string[] {
  const { uid: _sent, ...left } = sent;
  const { uid: _received, ...right } = received as Record<string, unknown>;
  return rmDifferences(left, right, { type: 'COMPOSITION' });
}

describeShared('conformance: public compositions commit and read back equal', () => {
  let cdr: TestCdr;
  before(async () => {
    cdr = await startTestCdr({ isolated: true });
  });
  after(async () => cdr.close());

  it('commits every valid public composition and reads it back in JSON and XML', async function () {
    this.timeout(300_000);
    const templates = templateIndex();
    const uploaded = new Set<string>();
    const results = { committed: 0, jsonEqual: 0, xmlEqual: 0, refusedInvalid: 0, unreadable: 0, total: 0 };
    const failures: string[] = [];
    const withoutTemplate: string[] = [];
    for (const { file, format } of cases()) {
      const name = basename(file);
      const expectInvalid =
        (/invalid/i.test(name) && !NEEDS_TERMINOLOGY_SERVICE.has(name)) || name in NOT_RM_VALID || name in NOT_TEMPLATE_VALID;
      const text = readFileSync(file, 'utf8');
      let composition: Record<string, unknown>;
      try {
        composition = format === 'json' ? (JSON.parse(text) as Record<string, unknown>) : (fromXml(text) as unknown as Record<string, unknown>);
      } catch (error) {
        if (expectInvalid) {
          results.unreadable += 1;
        } else {
          failures.push(`${name}: could not be read: ${(error as Error).message}`);
        }
        continue;
      }
      results.total += 1;
      const templateId = ((composition.archetype_details as Record<string, Record<string, string>> | undefined)?.template_id?.value) ?? '';
      const optPath = templates.get(templateId);
      if (!optPath) {
        withoutTemplate.push(`${name} ('${templateId}')`);
        continue;
      }
      if (!uploaded.has(templateId)) {
        const upload = await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(readFileSync(optPath, 'utf8'));
        if (upload.status !== 201) {
          failures.push(`${name}: template ${templateId} refused: ${upload.status} ${upload.body.message}`);
          continue;
        }
        uploaded.add(templateId);
      }
      const ehr = await request(cdr.app).post('/openehr/v1/ehr').expect(201);
      const ehrId = ehr.headers.etag!.replace(/"/g, '');
      const { uid: _uid, ...withoutUid } = composition;
      const posted = await request(cdr.app)
        .post(`/openehr/v1/ehr/${ehrId}/composition`)
        .set('Content-Type', format === 'json' ? 'application/json' : 'application/xml')
        .send(format === 'json' ? JSON.stringify(withoutUid) : text);
      if (expectInvalid) {
        if (name in NOT_TEMPLATE_VALID && posted.status !== 422) {
          failures.push(`${name}: breaks its template, but answered ${posted.status}`);
        } else if (posted.status >= 400 && posted.status < 500) {
          results.refusedInvalid += 1;
        } else {
          failures.push(`${name}: meant to be invalid, but answered ${posted.status}`);
        }
        continue;
      }
      if (posted.status !== 201) {
        failures.push(`${name}: ${posted.status} ${posted.body.message} ${JSON.stringify(posted.body.issues?.slice(0, 3))}`);
        continue;
      }
      results.committed += 1;
      const location = posted.headers.location!;
      const path = location.slice(location.indexOf('/openehr/v1'));
      const asJson = await request(cdr.app).get(path).set('Accept', 'application/json');
      const jsonDiff = differences(composition, asJson.body);
      if (jsonDiff.length === 0) {
        results.jsonEqual += 1;
      } else {
        failures.push(`${name}: JSON read back differs: ${jsonDiff.slice(0, 3).join('; ')}`);
      }
      const asXml = await request(cdr.app).get(path).set('Accept', 'application/xml');
      const xmlDiff = differences(composition, fromXml(asXml.text));
      if (xmlDiff.length === 0) {
        results.xmlEqual += 1;
      } else {
        failures.push(`${name}: XML read back differs: ${xmlDiff.slice(0, 3).join('; ')}`);
      }
    }
    const valid = results.total - results.refusedInvalid - withoutTemplate.length;
    console.log(
      `      [conformance] public compositions: ${results.committed}/${valid} valid ones committed, ` +
        `${results.jsonEqual} read back equal as JSON, ${results.xmlEqual} as XML; ` +
        `${results.refusedInvalid + results.unreadable} invalid ones refused (${results.unreadable} of them unreadable XML)`,
    );
    console.log(`      [conformance]   not replayable, their template is not in the public data: ${withoutTemplate.join(', ') || 'none'}`);
    for (const [name, reason] of Object.entries(NOT_RM_VALID)) {
      console.log(`      [conformance]   refused as not RM-valid: ${name}: ${reason}`);
    }
    for (const [name, reason] of Object.entries(NOT_TEMPLATE_VALID)) {
      console.log(`      [conformance]   refused as breaking its template: ${name}: ${reason}`);
    }
    console.log(`      [conformance]   accepted, needing a terminology service to refuse: ${[...NEEDS_TERMINOLOGY_SERVICE].join(', ')}`);
    for (const failure of failures) {
      console.log(`      [conformance]   ${failure}`);
    }
    assert.deepEqual(failures, []);
  });
});
