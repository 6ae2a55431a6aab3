/**
 * Conformance: every public OPT of the SDK test data uploads, has a web template, and
 * its example composition commits (in canonical JSON and through FLAT).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { describeShared, sharedPath } from '@cdr/rm/testing/shared';
import { startTestCdr, type TestCdr } from '../testing/test-app.js';

/**
 * Templates no composition can satisfy, so no example of them can commit, with the reason.
 */
const UNSATISFIABLE: Readonly<Record<string, string>> = {
  'section_cardinality.opt': 'the occurrences of its six SECTION alternatives under content add up to at least 8 SECTIONs (1 + 1 + 3 + 3), but content has cardinality 1..1',
};

describeShared('conformance: public templates upload, with web templates and examples that commit', () => {
  let cdr: TestCdr;
  before(async () => {
    cdr = await startTestCdr({ isolated: true });
  });
  after(async () => cdr.close());

  it('uploads every SDK template, serves its web template, and commits its example', async function () {
    this.timeout(300_000);
    const dir = sharedPath('testdata/ehrbase-sdk/test-data/operationaltemplate');
    const files = readdirSync(dir).filter((f) => f.endsWith('.opt')).sort();
    const ehr = await request(cdr.app).post('/openehr/v1/ehr').expect(201);
    const ehrId = ehr.headers.etag!.replace(/"/g, '');
    const counts = { uploaded: 0, webTemplates: 0, examplesCommitted: 0, flatCommitted: 0 };
    const failures: string[] = [];
    for (const file of files) {
      const upload = await request(cdr.app).post('/openehr/v1/definition/template/adl1.4').set('Content-Type', 'application/xml').send(readFileSync(join(dir, file), 'utf8'));
      if (upload.status !== 201) {
        failures.push(`${file}: upload ${upload.status} ${upload.body.message}`);
        continue;
      }
      counts.uploaded += 1;
      const templateId = decodeURIComponent(upload.headers.location!.split('/').pop()!);
      const path = `/openehr/v1/definition/template/adl1.4/${encodeURIComponent(templateId)}`;
      const webTemplate = await request(cdr.app).get(path).set('Accept', 'application/openehr.wt+json');
      if (webTemplate.status === 200 && webTemplate.body.templateId === templateId && webTemplate.body.tree) {
        counts.webTemplates += 1;
      } else {
        failures.push(`${file}: web template ${webTemplate.status}`);
      }
      if (file in UNSATISFIABLE) {
        console.log(`      [conformance]   no example can conform to ${file}: ${UNSATISFIABLE[file]}`);
        continue;
      }
      const example = await request(cdr.app).get(`${path}/example`);
      const committed = await request(cdr.app).post(`/openehr/v1/ehr/${ehrId}/composition`).send(example.body);
      if (committed.status === 201) {
        counts.examplesCommitted += 1;
      } else {
        failures.push(`${file}: example ${committed.status} ${committed.body.message} ${JSON.stringify(committed.body.issues?.slice(0, 2))}`);
      }
      const flat = await request(cdr.app).get(`${path}/example`).query({ format: 'FLAT' });
      const flatCommitted = await request(cdr.app)
        .post(`/openehr/v1/ehr/${ehrId}/composition`)
        .query({ format: 'FLAT', templateId })
        .send(flat.body);
      if (flatCommitted.status === 201) {
        counts.flatCommitted += 1;
      } else {
        failures.push(`${file}: FLAT example ${flatCommitted.status} ${flatCommitted.body.message} ${JSON.stringify(flatCommitted.body.issues?.slice(0, 2))}`);
      }
    }
    const n = files.length;
    console.log(
      `      [conformance] SDK templates: ${counts.uploaded}/${n} uploaded, ${counts.webTemplates}/${n} web templates, ` +
        `${counts.examplesCommitted}/${n - Object.keys(UNSATISFIABLE).length} examples committed, ${counts.flatCommitted} through FLAT`,
    );
    for (const failure of failures) {
      console.log(`      [conformance]   ${failure}`);
    }
    assert.equal(counts.uploaded, n);
    assert.equal(counts.webTemplates, n);
    assert.equal(counts.examplesCommitted, n - Object.keys(UNSATISFIABLE).length);
  });
});
