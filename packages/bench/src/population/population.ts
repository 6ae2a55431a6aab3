/**
 * A population as import lines (NDJSON): for each patient its EHR line, then its
 * compositions in the order they were written. See @cdr/server's import/records.ts for
 * the format; the same lines feed the bulk import, the REST API and the benchmark.
 */
import { open } from 'node:fs/promises';
import type { CompositionLine, EhrLine } from '@cdr/server/import/records';
import { generatePatient, type GeneratedPatient, type PopulationOptions } from './patient.js';

export function ehrLine(patient: GeneratedPatient): EhrLine {
  return { type: 'ehr', ehr_id: patient.ehrId, ehr_status: patient.ehrStatus as EhrLine['ehr_status'] & object };
}

export function compositionLines(patient: GeneratedPatient): CompositionLine[] {
  return patient.compositions.map((c) => ({ type: 'composition', ehr_id: patient.ehrId, composition: c.composition as CompositionLine['composition'] }));
}

/** Patients `from` (inclusive) to `to` (exclusive). */
export function* patients(options: PopulationOptions, from: number, to: number): Generator<GeneratedPatient> {
  for (let index = from; index < to; index += 1) {
    yield generatePatient(options, index);
  }
}

export interface WrittenPopulation {
  readonly patients: number;
  readonly compositions: number;
  readonly bytes: number;
  readonly byTemplate: Readonly<Record<string, number>>;
}

/**
 * Writes patients `from` to `to` as NDJSON. `stopAfter` ends the file after the patient
 * whose compositions reach that many (for a population of a given number of compositions).
 */
export async function writePopulation(
  file: string,
  options: PopulationOptions,
  range: { from: number; to: number; stopAfterCompositions?: number },
  onProgress?: (written: WrittenPopulation) => void,
): Promise<WrittenPopulation & { readonly nextPatient: number }> {
  const out = await open(file, 'w');
  let pending: string[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    if (pending.length > 0) {
      await out.write(pending.join(''));
      pending = [];
      pendingBytes = 0;
    }
  };
  const byTemplate: Record<string, number> = {};
  let compositions = 0;
  let bytes = 0;
  let count = 0;
  let next = range.from;
  const write = async (line: object): Promise<void> => {
    const text = `${JSON.stringify(line)}\n`;
    bytes += Buffer.byteLength(text);
    pending.push(text);
    pendingBytes += text.length;
    if (pendingBytes >= 1 << 20) {
      await flush();
    }
  };
  try {
    for (const patient of patients(options, range.from, range.to)) {
      await write(ehrLine(patient));
      for (const line of compositionLines(patient)) {
        await write(line);
      }
      for (const c of patient.compositions) {
        byTemplate[c.templateId] = (byTemplate[c.templateId] ?? 0) + 1;
      }
      compositions += patient.compositions.length;
      count += 1;
      next = patient.index + 1;
      if (count % 200 === 0) {
        onProgress?.({ patients: count, compositions, bytes, byTemplate });
      }
      if (range.stopAfterCompositions !== undefined && compositions >= range.stopAfterCompositions) {
        break;
      }
    }
    await flush();
  } finally {
    await out.close();
  }
  return { patients: count, compositions, bytes, byTemplate, nextPatient: next };
}
