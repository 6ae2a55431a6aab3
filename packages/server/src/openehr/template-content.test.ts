/**
 * Templates at work through the API: web templates, example compositions, validation of
 * every commit against the template (422 naming the path, nothing stored), and the FLAT
 * and STRUCTURED formats on POST, PUT and GET.
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import { assertConforms } from '../testing/openapi.js';
import { ownTemplate } from '../testing/own-templates.js';
import { startTestCdr, type TestCdr } from '../testing/test-app.js';

const VITALS = 'cdr.vital_signs.v1';
const FLAT = 'application/openehr.wt.flat.schema+json';
const STRUCTURED = 'application/openehr.wt.structured.schema+json';
const BP = '/content[openEHR-EHR-OBSERVATION.blood_pressure.v2]';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The blood pressure observation of a vital signs composition. */
function bloodPressure(composition: Json): Json {
  const observation = (composition.content as Json[]).find((c) => c.archetype_node_id === 'openEHR-EHR-OBSERVATION.blood_pressure.v2');
  assert.ok(observation, 'the example has a blood pressure');
  return observation;
}

function systolic(composition: Json): Json {
  const items = bloodPressure(composition).data.events[0].data.items as Json[];
  const element = items.find((i) => i.archetype_node_id === 'at0004');
  assert.ok(element, 'the blood pressure has a systolic element');
  return element;
}

describe('templates at work: web template, example, validation, FLAT and STRUCTURED', () => {
  let cdr: TestCdr;
  let ehrId: string;
  let example: Json;

  before(async () => {
    cdr = await startTestCdr();
    await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(ownTemplate(VITALS)).expect(201);
  });
  after(async () => cdr.close());
  beforeEach(async () => {
    const res = await request(cdr.app).post('/openehr/v1/ehr').expect(201);
    ehrId = res.headers.etag!.replace(/"/g, '');
    example = (await request(cdr.app).get(`/openehr/v1/definition/template/adl1.4/${VITALS}/example`).expect(200)).body as Json;
  });

  const countCompositions = async () =>
    (await cdr.db.query<{ n: number }>('select count(*)::int as n from versioned_object where ehr_id = $1 and rm_type = $2', [ehrId, 'COMPOSITION'])).rows[0]!.n;

  it('serves the web template with node ids, AQL paths, RM types and inputs', async () => {
    const res = await request(cdr.app).get(`/openehr/v1/definition/template/adl1.4/${VITALS}`).set('Accept', 'application/openehr.wt+json');
    assertConforms(res, 'GET /definition/template/adl1.4/{template_id}');
    assert.equal(res.status, 200);
    assert.equal(res.body.templateId, VITALS);
    const nodes: Json[] = [];
    const walk = (node: Json) => {
      nodes.push(node);
      (node.children as Json[] | undefined)?.forEach(walk);
    };
    walk(res.body.tree);
    const systolicNode = nodes.find((n) => n.aqlPath === `${BP}/data[at0001]/events[at0006]/data[at0003]/items[at0004]/value`);
    assert.ok(systolicNode, 'the systolic value is a node of the web template');
    assert.equal(systolicNode.rmType, 'DV_QUANTITY');
    assert.ok((systolicNode.inputs as Json[]).some((i) => i.suffix === 'unit' && (i.list as Json[]).some((u) => u.value === 'mm[Hg]')));
  });

  it('gives an example composition that commits', async () => {
    assert.equal(example.archetype_details.template_id.value, VITALS);
    const res = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send(example);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const xml = await request(cdr.app).get(`/openehr/v1/definition/template/adl1.4/${VITALS}/example`).set('Accept', 'application/xml');
    assert.equal(xml.status, 200);
    assert.match(xml.text, /^<\?xml|<composition/);
    const flat = await request(cdr.app).get(`/openehr/v1/definition/template/adl1.4/${VITALS}/example`).query({ format: 'FLAT' });
    assert.equal(flat.status, 200);
    assert.ok(Object.keys(flat.body).some((k) => k.includes('blood_pressure')));
  });

  it('refuses a magnitude out of range with 422 naming the path, and stores nothing', async () => {
    const bad = structuredClone(example);
    systolic(bad).value.magnitude = -5;
    const res = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send(bad);
    assertConforms(res, 'POST /ehr/{ehr_id}/composition');
    assert.equal(res.status, 422);
    const issue = (res.body.issues as Json[]).find((i) => String(i.path).endsWith('/items[at0004]/value/magnitude'));
    assert.ok(issue, JSON.stringify(res.body.issues));
    assert.match(issue.path, /^\/content\[openEHR-EHR-OBSERVATION\.blood_pressure\.v2\]\/data\[at0001\]\/events\[at0006\]/);
    assert.match(issue.message, /-5/);
    assert.equal(await countCompositions(), 0);
  });

  it('refuses a missing mandatory element and a unit not in the list', async () => {
    const missing = structuredClone(example);
    const items = bloodPressure(missing).data.events[0].data.items as Json[];
    bloodPressure(missing).data.events[0].data.items = items.filter((i) => i.archetype_node_id !== 'at0004');
    const noSystolic = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send(missing);
    assert.equal(noSystolic.status, 422);
    assert.ok((noSystolic.body.issues as Json[]).some((i) => /at0004|Systolic/.test(`${i.path} ${i.message}`)), JSON.stringify(noSystolic.body.issues));

    const wrongUnit = structuredClone(example);
    systolic(wrongUnit).value.units = 'kPa';
    const kpa = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send(wrongUnit);
    assert.equal(kpa.status, 422);
    assert.ok((kpa.body.issues as Json[]).some((i) => /kPa/.test(i.message) && String(i.path).includes('items[at0004]')), JSON.stringify(kpa.body.issues));
    assert.equal(await countCompositions(), 0);
  });

  it('refuses a code that is not in the list', async () => {
    const bad = structuredClone(example);
    const position = bloodPressure(bad).data.events[0].state?.items?.find((i: Json) => i.archetype_node_id === 'at0008');
    assert.ok(position, 'the example records a position');
    position.value.defining_code.code_string = 'at9999';
    const res = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send(bad);
    assert.equal(res.status, 422);
    assert.ok((res.body.issues as Json[]).some((i) => /at9999/.test(i.message) && String(i.path).includes('items[at0008]')), JSON.stringify(res.body.issues));
  });

  it('takes FLAT on POST and PUT, and returns FLAT and STRUCTURED on GET', async () => {
    const flat = (await request(cdr.app).get(`/openehr/v1/definition/template/adl1.4/${VITALS}/example`).query({ format: 'FLAT' })).body as Json;
    const systolicKey = Object.keys(flat).find((k) => /blood_pressure\/.*systolic\|magnitude$/.test(k));
    assert.ok(systolicKey, `a systolic magnitude among ${Object.keys(flat).slice(0, 10).join(', ')}`);
    flat[systolicKey] = 128;
    const created = await request(cdr.app)
      .post(`/openehr/v1/ehr/${ehrId}/composition`)
      .query({ format: 'FLAT', templateId: VITALS })
      .set('Prefer', 'return=representation')
      .send(flat);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(created.headers['content-type'] ?? '', /flat/);
    assert.equal(created.body[systolicKey], 128);
    const uid = created.headers.etag!.replace(/"/g, '');

    const canonical = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${uid}`);
    assert.equal(systolic(canonical.body).value.magnitude, 128);

    const structured = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${uid}`).set('Accept', STRUCTURED);
    assert.equal(structured.status, 200);
    assert.match(structured.headers['content-type'] ?? '', /structured/);
    assert.ok(JSON.stringify(structured.body).includes('128'));

    flat[systolicKey] = 131;
    const updated = await request(cdr.app)
      .put(`/openehr/v1/ehr/${ehrId}/composition/${uid.split('::')[0]}`)
      .set('Content-Type', FLAT)
      .set('If-Match', `"${uid}"`)
      .send(flat);
    assert.equal(updated.status, 204, JSON.stringify(updated.body));
    const asFlat = await request(cdr.app).get(`/openehr/v1/ehr/${ehrId}/composition/${uid.split('::')[0]}`).query({ format: 'FLAT' });
    assert.equal(asFlat.body[systolicKey], 131);
  });

  it('takes STRUCTURED on POST with the template in the openEHR-TEMPLATE_ID header', async () => {
    const structured = (await request(cdr.app).get(`/openehr/v1/definition/template/adl1.4/${VITALS}/example`).set('Accept', STRUCTURED)).body;
    const res = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).set('Content-Type', STRUCTURED).set('openEHR-TEMPLATE_ID', VITALS).send(structured);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  });

  it('refuses FLAT without a template id, and an unknown format', async () => {
    const noTemplate = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).query({ format: 'FLAT' }).send({ 'x/y': 1 });
    assert.equal(noTemplate.status, 400);
    assert.match(noTemplate.body.message, /templateId/);
    const unknown = await request(cdr.app).get(`/openehr/v1/definition/template/adl1.4/${VITALS}/example`).query({ format: 'YAML' });
    assert.equal(unknown.status, 400);
    const unknownTemplate = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).query({ format: 'FLAT', templateId: 'nope.v0' }).send({ 'x/y': 1 });
    assert.equal(unknownTemplate.status, 404);
  });
});
