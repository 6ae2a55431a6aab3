import { loadMappings } from '@cdr/fhir/load';
import { validateFhir } from '@cdr/fhir/testing/fhir-validation';
import { readFileSync, readdirSync } from 'node:fs';
const m = loadMappings();
const dir = '/work/shared/testdata/ehrbase-sdk/test-data/composition/canonical_json/';
const ctx = { ehrId: '7d44b88c-4199-4bad-97dc-d78268e01398', versionUid: '8849182c-82ad-4088-a07f-48ead4180515::cdr.local::1', timeCommitted: '2024-01-15T10:31:00Z' };
for (const f of readdirSync(dir)) {
  let c; try { c = JSON.parse(readFileSync(dir + f, 'utf8')); } catch { continue; }
  if (c._type !== 'COMPOSITION') continue;
  let res;
  try { res = m.toFhir(c, ctx); } catch (e) { console.log(f, 'ERR', e.message); continue; }
  const interesting = res.filter(r => !['DocumentReference', 'Encounter'].includes(r.resourceType));
  const errs = res.flatMap(r => validateFhir(r).map(e => r.resourceType + '/' + r.id.split('.')[1] + ' ' + e));
  if (interesting.length || errs.length) console.log(f, interesting.map(r => r.resourceType + '/' + r.id.split('.')[1]).join(' '), errs.slice(0, 6));
}
