import assert from 'node:assert/strict';
import { CdrError } from '../errors.js';
import { rmDifferences } from '../json/equality.js';
import { at, vitalSignsComposition } from '../testing/fixtures.js';
import { fromXml } from './from-xml.js';
import { readXmlDocument } from './xml-document.js';
import { toXml } from './to-xml.js';

function failure(action: () => unknown): CdrError {
  try {
    action();
  } catch (error) {
    if (error instanceof CdrError) {
      return error;
    }
    throw error;
  }
  assert.fail('no error was thrown');
}

const MINIMAL_STATUS = `<?xml version="1.0"?>
<items xmlns="http://schemas.openehr.org/v1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
       xsi:type="EHR_STATUS" archetype_node_id="openEHR-EHR-EHR_STATUS.generic.v1">
  <name><value>EHR Status</value></name>
  <subject/>
  <is_queryable>true</is_queryable>
  <is_modifiable>0</is_modifiable>
</items>`;

describe('rm canonical XML codec', () => {
  it('round-trips a composition to a semantically equal object', () => {
    const composition = vitalSignsComposition();
    assert.deepEqual(rmDifferences(fromXml(toXml(composition)), composition, { type: 'COMPOSITION' }), []);
  });

  it('writes the openEHR namespace, the composition root and elements in XSD order', () => {
    const composition = vitalSignsComposition();
    // key order of the JSON must not matter
    const scrambled = Object.fromEntries(Object.entries(composition).reverse());
    const root = readXmlDocument(toXml(scrambled));
    assert.equal(root.localName, 'composition');
    assert.equal(root.namespace, 'http://schemas.openehr.org/v1');
    assert.deepEqual(
      root.children.map((c) => c.localName),
      ['name', 'uid', 'archetype_details', 'language', 'territory', 'category', 'composer', 'context', 'content'],
    );
    assert.deepEqual(root.attributes, [{ localName: 'archetype_node_id', namespace: undefined, value: 'openEHR-EHR-COMPOSITION.encounter.v1' }]);
  });

  it('writes xsi:type exactly where the runtime type differs from the declared type', () => {
    const composition = vitalSignsComposition();
    composition['name'] = { _type: 'DV_CODED_TEXT', value: 'Vital signs', defining_code: at(composition, 'category')['defining_code'] };
    const xml = toXml(composition);
    assert.match(xml, /<name xsi:type="DV_CODED_TEXT">/);
    assert.match(xml, /<uid xsi:type="OBJECT_VERSION_ID">/);
    assert.match(xml, /<composer xsi:type="PARTY_IDENTIFIED">/);
    assert.match(xml, /<content xsi:type="OBSERVATION" archetype_node_id="openEHR-EHR-OBSERVATION.blood_pressure.v2">/);
    assert.match(xml, /<value xsi:type="DV_QUANTITY">/);
    assert.match(xml, /<category>/);
    assert.match(xml, /<data archetype_node_id="at0001">/);
    assert.doesNotMatch(xml, /xsi:type="(DV_TEXT|HISTORY|CODE_PHRASE|EVENT_CONTEXT|DV_DATE_TIME)"/);
  });

  it('types text by the model: numbers, integers, booleans, lists', () => {
    const status = fromXml(MINIMAL_STATUS);
    assert.deepEqual(status, {
      _type: 'EHR_STATUS',
      archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
      name: { _type: 'DV_TEXT', value: 'EHR Status' },
      subject: { _type: 'PARTY_SELF' },
      is_queryable: true,
      is_modifiable: false,
    });
    const composition = fromXml(toXml(vitalSignsComposition()));
    const events = at(composition, 'content', 0, 'data')['events'] as unknown[];
    assert.equal(events.length, 2);
    assert.equal(at(events, 0, 'data', 'items', 0, 'value')['magnitude'], 120);
    assert.equal(at(events, 0, 'data', 'items', 0, 'value')['precision'], 0);
  });

  it('reports content the RM has no place for as a 422 with AQL paths', () => {
    const xml = toXml(vitalSignsComposition())
      .replace('<magnitude>112</magnitude>', '<magnitude>high</magnitude>')
      .replace('<setting>', '<colour>red</colour><setting>');
    const error = failure(() => fromXml(xml));
    assert.equal(error.status, 422);
    assert.deepEqual(error.issues, [
      { path: '/context/colour', message: "unknown attribute 'colour' of EVENT_CONTEXT" },
      {
        path: "/content[openEHR-EHR-OBSERVATION.blood_pressure.v2]/data[at0001]/events[at0006,'Standing']/data[at0003]/items[at0004]/value/magnitude",
        message: "'high' is not a finite number",
      },
    ]);
  });

  it('requires xsi:type for abstract declared types', () => {
    const xml = toXml(vitalSignsComposition()).replace('<composer xsi:type="PARTY_IDENTIFIED">', '<composer>');
    assert.deepEqual(failure(() => fromXml(xml)).issues, [{ path: '/composer', message: 'xsi:type is required: PARTY_PROXY is abstract' }]);
  });

  it('refuses a second value for a single-valued attribute', () => {
    const xml = toXml(vitalSignsComposition()).replace('<territory>', '<language><terminology_id><value>x</value></terminology_id><code_string>y</code_string></language><territory>');
    assert.match(failure(() => fromXml(xml)).issues[0]?.message ?? '', /occurs more than once/);
  });

  it('writes other archetyped objects under the schema element items, and reads them back', () => {
    const xml = toXml(fromXml(MINIMAL_STATUS));
    assert.match(xml, /<items xmlns="http:\/\/schemas.openehr.org\/v1" [^>]*xsi:type="EHR_STATUS"/);
    assert.equal(fromXml(xml)['_type'], 'EHR_STATUS');
    // other systems name the root after the class
    assert.equal(fromXml(MINIMAL_STATUS.replace(/<items /, '<ehr_status ').replace('</items>', '</ehr_status>'))['_type'], 'EHR_STATUS');
  });

  it('writes versions under version with xsi:type', () => {
    const version = {
      _type: 'ORIGINAL_VERSION',
      contribution: { id: { _type: 'HIER_OBJECT_ID', value: '0ec5ef4a-3ab1-4f2e-8a5b-2a3c08f1e3b1' }, namespace: 'local', type: 'CONTRIBUTION' },
      commit_audit: {
        system_id: 'test.cdr',
        committer: { _type: 'PARTY_IDENTIFIED', name: 'A' },
        time_committed: { value: '2024-03-01T10:30:00Z' },
        change_type: { value: 'creation', defining_code: { terminology_id: { value: 'openehr' }, code_string: '249' } },
      },
      uid: { value: '8849182c-82ad-4088-a07f-48ead4180515::test.cdr::1' },
      data: vitalSignsComposition(),
      lifecycle_state: { value: 'complete', defining_code: { terminology_id: { value: 'openehr' }, code_string: '532' } },
    };
    const xml = toXml(version);
    assert.match(xml, /^<\?xml[^>]*>\n<version [^>]*xsi:type="ORIGINAL_VERSION"/);
    assert.match(xml, /<data xsi:type="COMPOSITION" archetype_node_id=/);
    assert.deepEqual(rmDifferences(fromXml(xml), version, { type: 'ORIGINAL_VERSION' }), []);
  });

  it('writes the XSD element name work_flow_id and reads either spelling', () => {
    const composition = vitalSignsComposition();
    at(composition, 'content', 0)['workflow_id'] = { id: { _type: 'HIER_OBJECT_ID', value: 'a' }, namespace: 'local', type: 'WORKFLOW' };
    const xml = toXml(composition);
    assert.match(xml, /<work_flow_id>/);
    assert.equal(at(fromXml(xml), 'content', 0, 'workflow_id')['type'], 'WORKFLOW');
    assert.equal(at(fromXml(xml.replace(/work_flow_id>/g, 'workflow_id>')), 'content', 0, 'workflow_id')['type'], 'WORKFLOW');
  });

  it('keeps every character of text values, escaped as XML needs', () => {
    const composition = vitalSignsComposition();
    const tricky = `a < b && c > "d" 'e'\r\n\ttab ]]> © 😀  spaced  `;
    at(composition, 'name')['value'] = tricky;
    at(composition, 'content', 0)['archetype_node_id'] = 'openEHR-EHR-OBSERVATION.x"<&.v1';
    const back = fromXml(toXml(composition));
    assert.equal(at(back, 'name')['value'], tricky);
    assert.equal(at(back, 'content', 0)['archetype_node_id'], 'openEHR-EHR-OBSERVATION.x"<&.v1');
  });

  it('refuses characters XML cannot carry, and objects that break the RM', () => {
    const composition = vitalSignsComposition();
    at(composition, 'name')['value'] = 'bell \u0007';
    const error = failure(() => toXml(composition));
    assert.equal(error.status, 422);
    assert.equal(error.issues[0]?.path, '/name/value');
    const broken = vitalSignsComposition();
    delete broken['language'];
    assert.equal(failure(() => toXml(broken)).status, 422);
  });

  it('answers 400 for the wrong root', () => {
    assert.equal(failure(() => fromXml('<patient/>')).status, 400);
    assert.equal(failure(() => fromXml('<version xmlns="http://schemas.openehr.org/v1"/>')).status, 400);
    assert.equal(failure(() => fromXml('<composition xmlns="urn:other"/>')).status, 400);
    assert.equal(failure(() => fromXml(MINIMAL_STATUS, { expectedType: 'COMPOSITION' })).status, 400);
    assert.equal(failure(() => toXml(vitalSignsComposition(), 'version')).status, 400);
  });
});
