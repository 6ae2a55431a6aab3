/**
 * Where an import got to: the byte offset (and line) after the last batch committed, kept
 * in a small JSON file beside the import file and replaced atomically after every batch.
 * A killed import resumes there; the batch that was being written when it died is written
 * again, and what of it was already committed is skipped (stable ids). The checkpoint
 * names the file by its size and a digest of its first 64 KiB, so a different file is not
 * resumed by mistake; it is removed when the import completes.
 */
import { createHash } from 'node:crypto';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';

export interface ImportCounts {
  ehrsCreated: number;
  compositionsCreated: number;
  existing: number;
  rejected: number;
}

export interface CheckpointState {
  readonly file: string;
  readonly head: string;
  readonly offset: number;
  /** 1-based number of the next line to read. */
  readonly line: number;
  readonly counts: ImportCounts;
  readonly startedAt: string;
  readonly updatedAt: string;
}

const HEAD_BYTES = 64 * 1024;

/** A digest of the first 64 KiB of a file. */
export async function fileHead(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return createHash('sha256').update(buffer.subarray(0, bytesRead)).digest('hex');
  } finally {
    await handle.close();
  }
}

export class Checkpoint {
  constructor(readonly path: string) {}

  /** The saved state, when it belongs to this file (same head, offset within the file). */
  async load(file: string, head: string): Promise<CheckpointState | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return undefined;
    }
    let state: CheckpointState;
    try {
      state = JSON.parse(text) as CheckpointState;
    } catch {
      return undefined;
    }
    const size = (await stat(file)).size;
    if (state.head !== head || typeof state.offset !== 'number' || state.offset > size || state.offset < 0) {
      return undefined;
    }
    return state;
  }

  async save(state: CheckpointState): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
    await rename(temporary, this.path);
  }

  async remove(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
