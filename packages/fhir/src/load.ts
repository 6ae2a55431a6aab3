/**
 * Reading mapping files: the one place this package touches the file system.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { MappingDefinition } from './mapping/model.js';
import { MappingFileError, readMappingDocument } from './mapping/read-mapping.js';
import type { CompileOptions } from './mappings.js';
import { Mappings } from './mappings.js';

/** The mapping files that come with this package (`packages/fhir/mappings`). */
export const DEFAULT_MAPPINGS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'mappings');

export interface MappingFile {
  /** File name, for messages. */
  readonly name: string;
  readonly text: string;
}

/** Parses our mapping files (YAML text) into definitions. */
export function readMappingFiles(files: readonly MappingFile[]): MappingDefinition[] {
  return files.map((file) => {
    let document: unknown;
    try {
      document = parse(file.text);
    } catch (error) {
      throw new MappingFileError(file.name, `not YAML: ${(error as Error).message}`);
    }
    return readMappingDocument(document, file.name);
  });
}

/** Compiles mapping files given as text. */
export function mappingsFromFiles(files: readonly MappingFile[], options: CompileOptions = {}): Mappings {
  return new Mappings(readMappingFiles(files), options);
}

/** Reads and compiles every `*.yml`/`*.yaml` file of a directory (default: this package's mappings). */
export function loadMappings(dir: string = DEFAULT_MAPPINGS_DIR, options: CompileOptions = {}): Mappings {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.yml') || n.endsWith('.yaml'))
    .sort();
  return mappingsFromFiles(
    names.map((n) => ({ name: basename(n), text: readFileSync(join(dir, n), 'utf8') })),
    options,
  );
}
