/**
 * COPY ... FROM STDIN over the `pg` driver's connection, and the text format's encoding
 * (one row per line, columns separated by tabs, `\N` for null, backslash escapes). Values
 * travel in the COPY data stream, never in the statement's text.
 */
import type pg from 'pg';

/** The parts of the driver's connection a COPY uses. */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * A query object the driver runs like any other (it implements the driver's submittable
 * protocol): sends the statement, answers the server's CopyInResponse with the data, and
 * completes with the number of rows copied.
 */
class CopyIn {
  callback: ((error: Error | null, rows?: number) => void) | undefined;
  private rows = 0;
  private done = false;

  constructor(
    readonly text: string,
    private readonly chunks: readonly Buffer[],
  ) {}

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (const chunk of this.chunks) {
      connection.sendCopyFromChunk(chunk);
    }
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text?: string }): void {
    const count = /(\d+)$/.exec(message.text ?? '');
    this.rows = count ? Number(count[1]) : 0;
  }

  handleReadyForQuery(): void {
    this.finish(null);
  }

  handleError(error: Error): void {
    this.finish(error);
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  private finish(error: Error | null): void {
    if (this.done) {
      return;
    }
    this.done = true;
    this.callback?.(error, this.rows);
  }
}

const CHUNK_BYTES = 1 << 20;

/** Copies rows (COPY text format, each ending in a newline) into a table; resolves with the row count. */
export function copyRows(client: pg.ClientBase, statement: string, rows: Iterable<string>): Promise<number> {
  const chunks: Buffer[] = [];
  let parts: string[] = [];
  let length = 0;
  for (const row of rows) {
    parts.push(row);
    length += row.length;
    if (length >= CHUNK_BYTES) {
      chunks.push(Buffer.from(parts.join(''), 'utf8'));
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) {
    chunks.push(Buffer.from(parts.join(''), 'utf8'));
  }
  if (chunks.length === 0) {
    return Promise.resolve(0);
  }
  return new Promise((resolve, reject) => {
    const copy = new CopyIn(statement, chunks);
    copy.callback = (error, rows) => (error ? reject(error) : resolve(rows ?? 0));
    (client as unknown as { query(submittable: CopyIn): void }).query(copy);
  });
}

// ------------------------------------------------------------------ text format

const SPECIAL = /[\\\t\n\r]/;

/** A text value of the COPY text format: backslash, tab, newline and carriage return escaped. */
export function copyText(value: string): string {
  if (!SPECIAL.test(value)) {
    return value;
  }
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** A nullable column: `\N` for null. */
export function copyValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) {
    return '\\N';
  }
  return typeof value === 'string' ? copyText(value) : String(value);
}

/** A jsonb column from a value (JSON.stringify escapes control characters, so only backslashes need doubling). */
export function copyJson(value: unknown): string {
  return copyJsonText(JSON.stringify(value));
}

export function copyJsonText(json: string): string {
  return json.includes('\\') ? json.replace(/\\/g, '\\\\') : json;
}

/** A text[] column: an array literal with every element quoted. */
export function copyTextArray(values: readonly string[]): string {
  const literal = `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(',')}}`;
  return copyText(literal);
}

/** One row: columns joined by tabs, ending in a newline. */
export function copyRow(columns: readonly string[]): string {
  return `${columns.join('\t')}\n`;
}
