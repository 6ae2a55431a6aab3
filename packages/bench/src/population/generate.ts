/**
 * Loads a synthetic population through the store (not HTTP, for speed): EHRs, each with
 * its compositions, committed concurrently. Deterministic for a given seed.
 */
import type { JsonObject, Store } from '@cdr/store';
import { ChangeType, LifecycleState } from '@cdr/store';
import { nthComposition } from './compositions.js';
import { Random } from './random.js';

export interface PopulationOptions {
  readonly ehrs: number;
  readonly compositionsPerEhr: number;
  readonly seed?: number;
  readonly concurrency?: number;
  /** Called now and then with the number of EHRs loaded. */
  readonly onProgress?: (ehrs: number) => void;
}

const committer: JsonObject = { _type: 'PARTY_IDENTIFIED', name: 'Population generator' };
const OFFSETS = ['Z', '+01:00', '+02:00', '-05:00'];

function ehrStatus(index: number): JsonObject {
  return {
    _type: 'EHR_STATUS',
    name: { _type: 'DV_TEXT', value: 'EHR status' },
    archetype_node_id: 'openEHR-EHR-EHR_STATUS.generic.v1',
    subject: {
      _type: 'PARTY_SELF',
      external_ref: { _type: 'PARTY_REF', id: { _type: 'GENERIC_ID', value: `P${String(index).padStart(7, '0')}`, scheme: 'mrn' }, namespace: 'bench', type: 'PERSON' },
    },
    is_queryable: true,
    is_modifiable: true,
  };
}

function isoTime(random: Random): string {
  const day = new Date(Date.UTC(2020, 0, 1) + random.int(0, 5 * 365) * 86_400_000 + random.int(7 * 3600, 19 * 3600) * 1000);
  const offset = random.pick(OFFSETS);
  const local = offset === 'Z' ? day : new Date(day.getTime() + Number(offset.slice(0, 3)) * 3_600_000);
  return `${local.toISOString().slice(0, 19)}${offset}`;
}

async function loadEhr(store: Store, index: number, perEhr: number, seed: number): Promise<void> {
  const random = new Random(seed * 1_000_003 + index);
  const { ehr } = await store.createEhr({ ehrStatus: ehrStatus(index), audit: { committer } });
  for (let i = 0; i < perEhr; i += 1) {
    const data = nthComposition(random, i, isoTime(random)) as JsonObject;
    const details = data.archetype_details as JsonObject;
    await store.commit({
      ehrId: ehr.ehrId,
      audit: { committer },
      versions: [
        {
          rmType: 'COMPOSITION',
          changeType: ChangeType.creation,
          lifecycleState: LifecycleState.complete,
          data,
          archetypeNodeId: String(data.archetype_node_id),
          templateId: String((details.template_id as JsonObject).value),
        },
      ],
    });
  }
}

export async function generatePopulation(store: Store, options: PopulationOptions): Promise<void> {
  const concurrency = options.concurrency ?? 8;
  const seed = options.seed ?? 1;
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next;
      next += 1;
      if (index >= options.ehrs) {
        return;
      }
      await loadEhr(store, index, options.compositionsPerEhr, seed);
      done += 1;
      if (done % 500 === 0) {
        options.onProgress?.(done);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
