import assert from 'node:assert/strict';
import request from 'supertest';
import { assertConforms } from '../testing/openapi.js';
import { CLINICAL_NOTE_TEMPLATE_ID, fixture, startTestCdr, type TestCdr } from '../testing/test-app.js';

describe('openEHR REST: template storage (ADL 1.4)', () => {
  let cdr: TestCdr;
  before(async () => {
    cdr = await startTestCdr();
  });
  after(async () => cdr.close());

  it('uploads an OPT: 201 with Location; the same content again is accepted, different content is 409', async () => {
    const opt = fixture('clinical_note.opt');
    const res = await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(opt);
    assertConforms(res, 'POST /definition/template/adl1.4');
    assert.equal(res.status, 201);
    assert.match(res.headers.location ?? '', new RegExp(`/definition/template/adl1.4/${CLINICAL_NOTE_TEMPLATE_ID}$`));
    const again = await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(opt);
    assert.equal(again.status, 201);
    const changed = await request(cdr.app)
      .post('/openehr/v1/definition/template/adl1.4')
      .set('Content-Type', 'application/xml')
      .send(opt.replace('The summary.', 'A changed description.'));
    assertConforms(changed, 'POST /definition/template/adl1.4');
    assert.equal(changed.status, 409);
  });

  it('lists templates and returns the stored OPT as XML', async () => {
    const list = await request(cdr.app).get('/openehr/v1/definition/template/adl1.4');
    assertConforms(list, 'GET /definition/template/adl1.4');
    const entry = (list.body as { template_id: string; concept: string; archetype_id: string }[]).find((t) => t.template_id === CLINICAL_NOTE_TEMPLATE_ID);
    assert.ok(entry);
    assert.equal(entry.concept, 'CDR test clinical note');
    assert.equal(entry.archetype_id, 'openEHR-EHR-COMPOSITION.report.v1');
    const opt = await request(cdr.app).get(`/openehr/v1/definition/template/adl1.4/${CLINICAL_NOTE_TEMPLATE_ID}`).set('Accept', 'application/xml');
    assertConforms(opt, 'GET /definition/template/adl1.4/{template_id}');
    assert.equal(opt.status, 200);
    assert.equal(opt.text, fixture('clinical_note.opt'));
    const unknown = await request(cdr.app).get('/openehr/v1/definition/template/adl1.4/nope.v0');
    assertConforms(unknown, 'GET /definition/template/adl1.4/{template_id}');
    assert.equal(unknown.status, 404);
  });

  it('refuses what is not an OPT with 400 and stores nothing', async () => {
    for (const body of ['<template><broken>', '<composition xmlns="http://schemas.openehr.org/v1"/>', 'not xml at all']) {
      const res = await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(body);
      assertConforms(res, 'POST /definition/template/adl1.4');
      assert.equal(res.status, 400, body);
      assert.ok(res.body.message);
    }
    const json = await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').send({ template: 'x' });
    assert.equal(json.status, 415);
  });
});
