/**
 * Reads an NDJSON file from a byte offset in batches of whole lines, each batch knowing
 * where it starts and ends in the file (so a checkpoint can resume right after it) and
 * the number of its first line.
 */
import { open } from 'node:fs/promises';

export interface LineBatch {
  /** 1-based number of the batch's first line. */
  readonly firstLine: number;
  readonly lines: readonly string[];
  readonly startOffset: number;
  /** Byte offset just after the batch's last line. */
  readonly endOffset: number;
}

export interface BatchLimits {
  readonly lines: number;
  readonly bytes: number;
}

const READ_BYTES = 1 << 20;

export async function* lineBatches(file: string, from: { offset: number; line: number }, limits: BatchLimits): AsyncGenerator<LineBatch> {
  const handle = await open(file, 'r');
  try {
    let position = from.offset;
    let lineNumber = from.line;
    let carry: Buffer = Buffer.alloc(0);
    let lines: string[] = [];
    let bytes = 0;
    let batchStart = position;
    let batchFirstLine = lineNumber;
    let consumed = position;
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, position);
      const eof = bytesRead === 0;
      position += bytesRead;
      let data = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
      if (eof && data.length > 0 && data[data.length - 1] !== 0x0a) {
        // a last line without a newline
        data = Buffer.concat([data, Buffer.from('\n')]);
      }
      let start = 0;
      for (let newline = data.indexOf(0x0a, start); newline >= 0; newline = data.indexOf(0x0a, start)) {
        const end = newline > start && data[newline - 1] === 0x0d ? newline - 1 : newline;
        lines.push(data.toString('utf8', start, end));
        bytes += newline + 1 - start;
        consumed += newline + 1 - start;
        lineNumber += 1;
        start = newline + 1;
        if (lines.length >= limits.lines || bytes >= limits.bytes) {
          yield { firstLine: batchFirstLine, lines, startOffset: batchStart, endOffset: Math.min(consumed, position) };
          lines = [];
          bytes = 0;
          batchStart = consumed;
          batchFirstLine = lineNumber;
        }
      }
      carry = Buffer.from(data.subarray(start));
      if (eof) {
        break;
      }
    }
    if (lines.length > 0) {
      yield { firstLine: batchFirstLine, lines, startOffset: batchStart, endOffset: Math.min(consumed, position) };
    }
  } finally {
    await handle.close();
  }
}
