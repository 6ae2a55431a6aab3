/**
 * The public test data the conformance tier replays, read in place from ../shared.
 * Outside a `describeShared` block (or without ../shared) the lists are empty.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath, sharedRoot } from '../testing/shared.js';

export interface PublicFile {
  readonly name: string;
  readonly path: string;
}

/** The files with that extension in each folder (relative to ../shared), sorted by name. */
export function publicFiles(extension: string, ...folders: string[]): PublicFile[] {
  if (!sharedRoot()) {
    return [];
  }
  return folders.flatMap((folder) => {
    const directory = sharedPath(folder);
    return readdirSync(directory)
      .filter((name) => name.endsWith(extension))
      .sort()
      .map((name) => ({ name, path: join(directory, name) }));
  });
}

export function readText(file: PublicFile): string {
  return readFileSync(file.path, 'utf8');
}

/** Files the publishers mark as malformed on purpose. */
export function isNamedInvalid(file: PublicFile): boolean {
  return file.name.includes('invalid');
}

/** Pass counts for one suite, printed when it ends. */
export class Tally {
  private readonly counts = new Map<string, { passed: number; total: number }>();

  record(what: string, passed: boolean): void {
    const count = this.counts.get(what) ?? { passed: 0, total: 0 };
    this.counts.set(what, { passed: count.passed + (passed ? 1 : 0), total: count.total + 1 });
  }

  print(): void {
    for (const [what, { passed, total }] of this.counts) {
      console.log(`[conformance] ${what}: ${passed}/${total}`);
    }
  }
}
