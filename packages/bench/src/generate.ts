/**
 * Writes a synthetic population as an import file (NDJSON):
 *
 *   node packages/bench/dist/generate.js --patients 1000 --seed 42 --out population.ndjson
 *       [--from 0] [--years 5] [--end 2025-01-01T00:00:00Z] [--compositions N]
 *
 * The same options always write the same file; patient n is the same whatever the range,
 * so `--from 1000 --patients 1000` continues a population of 1000.
 */
import { resolve } from 'node:path';
import { DEFAULT_POPULATION } from './population/patient.js';
import { writePopulation } from './population/population.js';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function integer(name: string, fallback: number | undefined): number {
  const raw = option(name);
  if (raw === undefined) {
    if (fallback === undefined) {
      throw new Error(`--${name} is required`);
    }
    return fallback;
  }
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`--${name} must be a non-negative integer, not '${raw}'`);
  }
  return value;
}

async function main(): Promise<void> {
  const out = option('out');
  if (!out) {
    throw new Error('usage: generate --patients N --seed S --out FILE [--from K] [--years Y] [--end ISO-date] [--compositions N]');
  }
  const seed = integer('seed', 42);
  const from = integer('from', 0);
  const compositions = option('compositions') === undefined ? undefined : integer('compositions', 0);
  const count = integer('patients', compositions === undefined ? undefined : Number.MAX_SAFE_INTEGER - from);
  const years = Number(option('years') ?? DEFAULT_POPULATION.years);
  const end = option('end') ?? DEFAULT_POPULATION.end;
  if (!(years > 0) || Number.isNaN(Date.parse(end))) {
    throw new Error('--years must be positive and --end an ISO 8601 date-time');
  }
  const file = resolve(out);
  const started = Date.now();
  const written = await writePopulation(
    file,
    { seed, years, end },
    { from, to: from + count, ...(compositions === undefined ? {} : { stopAfterCompositions: compositions }) },
    (progress) => process.stderr.write(`\r${progress.patients} patients, ${progress.compositions} compositions`),
  );
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(
    `\r${written.patients} patients (${from} to ${written.nextPatient - 1}), ${written.compositions} compositions, ` +
      `${(written.bytes / 1048576).toFixed(1)} MiB in ${seconds.toFixed(1)} s -> ${file}\n`,
  );
  for (const [template, n] of Object.entries(written.byTemplate).sort()) {
    process.stderr.write(`  ${template.padEnd(30)} ${n}\n`);
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
