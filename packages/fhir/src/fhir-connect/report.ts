/**
 * Which rules of a set of FHIR Connect files the engine executes, and why not the others.
 */
import { Mappings } from '../mappings.js';
import type { FhirConnectFile } from './read-fhir-connect.js';
import { readFhirConnect } from './read-fhir-connect.js';

export interface NotExecuted {
  readonly where: string;
  readonly name: string;
  readonly reason: string;
}

export interface FileReport {
  readonly file: string;
  /** Mapping entries in the file (nested ones included; an extension file's own). */
  readonly rules: number;
  readonly executed: number;
  readonly notExecuted: readonly NotExecuted[];
  /** A reason the whole file is not executed (a context file, an extension of nothing). */
  readonly fileProblem?: string;
}

export interface FhirConnectReport {
  readonly files: readonly FileReport[];
  /** The compiled mappings of each set, to run them. */
  readonly mappings: readonly Mappings[];
}

/**
 * Reads FHIR Connect files in sets (the files of one set are read together, so slots and
 * extensions find their models) and reports what the engine executes.
 */
export function fhirConnectReport(sets: readonly (readonly FhirConnectFile[])[]): FhirConnectReport {
  const files: FileReport[] = [];
  const all: Mappings[] = [];
  for (const set of sets) {
    const read = readFhirConnect(set);
    const mappings = new Mappings(read.definitions, { lenient: true });
    all.push(mappings);
    const fragmentsBySource = new Map(read.definitions.filter((d) => d.kind === 'fragment').map((d) => [d.source, d.name]));
    for (const file of set) {
      const fileProblem = read.fileProblems.find((p) => p.file === file.name)?.message;
      const entries = read.entries.filter((e) => e.file === file.name);
      const fragment = fragmentsBySource.get(file.name);
      const unused = fragment !== undefined && !mappings.usedFragments.has(fragment);
      const notExecuted: NotExecuted[] = [];
      for (const entry of entries) {
        const prefix = `${entry.file}: ${entry.where}`;
        const problem = mappings.problems.find((p) => p.where === prefix || p.where.startsWith(`${prefix}.`));
        const reason =
          entry.unsupported[0] ??
          problem?.message ??
          (unused ? 'no executed rule reaches this cluster model (by a slot)' : undefined);
        if (reason !== undefined) {
          notExecuted.push({ where: entry.where, name: entry.name, reason });
        }
      }
      files.push({
        file: file.name,
        rules: entries.length,
        executed: fileProblem ? 0 : entries.length - notExecuted.length,
        notExecuted,
        ...(fileProblem ? { fileProblem } : {}),
      });
    }
  }
  return { files, mappings: all };
}
