/** Replacing one resource's node in a composition, as a FHIR update does. */
import assert from 'node:assert/strict';
import { loadMappings } from '@cdr/fhir';
import { example } from '@cdr/fhir/testing/project-templates';
import { anchorsOf, replaceResource } from './composition-edit.js';

const mappings = loadMappings();
const mapping = (name: string) => {
  const found = mappings.resource(name);
  assert.ok(found, name);
  return found;
};
const CONTEXT = { ehrId: '7d44b88c-4199-4bad-97dc-d78268e01398', versionUid: '8849182c-82ad-4088-a07f-48ead4180515::test::1', timeCommitted: '2024-01-01T00:00:00Z' };

function pulseEvents(composition: Record<string, unknown>): Record<string, unknown>[] {
  return anchorsOf(composition, mapping('observation-heart-rate')).flatMap((a) => a.each.map((e) => e.node));
}

describe('replacing a resource in its composition', () => {
  it('replaces the entry of a resource and leaves the other entries as they were', () => {
    const existing = example('cdr.vital_signs.v1', '2024-01-15T10:30:00Z');
    const incoming = example('cdr.vital_signs.v1', '2030-03-03T03:03:03Z');
    const result = replaceResource(existing, incoming, mapping('observation-heart-rate'), 1);
    assert.ok(result);
    const before = mappings.toFhir(existing, CONTEXT);
    const after = mappings.toFhir(result, CONTEXT);
    assert.deepEqual(after.map((r) => r.id), before.map((r) => r.id));
    for (const resource of after) {
      const previous = before.find((r) => r.id === resource.id);
      if (String(resource.id).endsWith('.hr1')) {
        assert.equal(resource['effectiveDateTime'], '2030-03-03T03:03:03Z');
      } else if (resource.resourceType === 'Observation') {
        assert.deepEqual(resource, previous, String(resource.id));
      }
    }
    assert.equal(JSON.stringify(existing).includes('2030'), false, 'the existing composition is not changed');
  });

  it('replaces only the event when the entry records several, and finds resources by their position', () => {
    const existing = example('cdr.vital_signs.v1', '2024-01-15T10:30:00Z');
    const observation = anchorsOf(existing, mapping('observation-heart-rate'))[0]?.node as { data: { events: unknown[] } };
    const event = observation.data.events[0] as Record<string, unknown>;
    observation.data.events.push({ ...structuredClone(event), time: { _type: 'DV_DATE_TIME', value: '2024-01-15T11:30:00Z' } });
    assert.equal(pulseEvents(existing).length, 2);
    const incoming = example('cdr.vital_signs.v1', '2030-03-03T03:03:03Z');
    const result = replaceResource(existing, incoming, mapping('observation-heart-rate'), 2);
    assert.ok(result);
    const times = pulseEvents(result).map((e) => (e['time'] as { value: string }).value);
    assert.deepEqual(times, ['2024-01-15T10:30:00Z', '2030-03-03T03:03:03Z']);
    assert.equal(replaceResource(existing, incoming, mapping('observation-heart-rate'), 3), undefined);
  });

  it('finds analytes only within a laboratory test result', () => {
    const report = example('cdr.laboratory_report.v1', '2024-01-15T10:30:00Z');
    const analytes = anchorsOf(report, mapping('observation-laboratory-analyte'));
    assert.equal(analytes.length, 1);
    const loose = { _type: 'COMPOSITION', content: [{ ...analytes[0]?.node }] };
    assert.equal(anchorsOf(loose, mapping('observation-laboratory-analyte')).length, 0);
  });
});
