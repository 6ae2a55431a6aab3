/**
 * Loads a range of the synthetic population into the benchmark's database: generated as
 * an import file, then imported by the CDR's bulk import (checked, indexed), the file
 * removed afterwards.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { importFile, type ImportSummary } from '@cdr/server/import/importer';
import type { BenchDatabase } from './bench-database.js';
import { BENCH_DIR } from './bench-database.js';
import { DEFAULT_POPULATION, type PopulationOptions } from './population/patient.js';
import { writePopulation, type WrittenPopulation } from './population/population.js';

export const SYSTEM_ID = 'bench.cdr.local';

export interface LoadedRange extends WrittenPopulation {
  readonly from: number;
  readonly nextPatient: number;
  readonly file: string;
  readonly importSummary: ImportSummary;
}

export function populationOptions(seed: number, years = DEFAULT_POPULATION.years): PopulationOptions {
  return { seed, years, end: DEFAULT_POPULATION.end };
}

/** Writes patients from `from` until `stopAfterCompositions` (or `to`) into a file, without importing. */
export async function writeRange(
  options: PopulationOptions,
  range: { from: number; to: number; stopAfterCompositions?: number },
  name: string,
): Promise<WrittenPopulation & { nextPatient: number; file: string }> {
  await mkdir(BENCH_DIR, { recursive: true });
  const file = join(BENCH_DIR, `${name}.ndjson`);
  const written = await writePopulation(file, options, range);
  return { ...written, file };
}

export async function importRange(bench: BenchDatabase, file: string, workers?: number): Promise<ImportSummary> {
  return importFile({
    db: bench.db,
    templates: bench.templates,
    file,
    systemId: SYSTEM_ID,
    restart: true,
    // the benchmark runs VACUUM ANALYZE itself after each step
    analyze: false,
    ...(workers === undefined ? {} : { workers }),
  });
}

/** Generates and imports a range of patients; the import file is removed afterwards. */
export async function loadRange(
  bench: BenchDatabase,
  options: PopulationOptions,
  range: { from: number; to: number; stopAfterCompositions?: number },
): Promise<LoadedRange> {
  const written = await writeRange(options, range, `population-${options.seed}-${range.from}`);
  try {
    const importSummary = await importRange(bench, written.file);
    return { ...written, from: range.from, importSummary };
  } finally {
    await rm(written.file, { force: true });
    await rm(`${written.file}.rejects.ndjson`, { force: true });
  }
}
