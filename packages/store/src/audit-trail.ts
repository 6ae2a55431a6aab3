/** The audit trail: appended to for every access to clinical data, searched by administrators. */
import type { Database } from './database.js';
import { isoTimestamp } from './store.js';

export type AuditOutcome = 'success' | 'failure' | 'aborted';

export interface AuditEventInput {
  readonly correlationId: string;
  readonly subject?: string | undefined;
  readonly clientId?: string | undefined;
  readonly onBehalfOf?: string | undefined;
  readonly purpose?: string | undefined;
  readonly action: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly outcome: AuditOutcome;
  readonly ehrIds: readonly string[];
  readonly resources: readonly string[];
  readonly query?: string | undefined;
  readonly details?: Record<string, unknown> | undefined;
}

export interface AuditEvent extends AuditEventInput {
  readonly id: number;
  readonly recordedAt: string;
}

export interface AuditFilter {
  readonly subject?: string;
  readonly clientId?: string;
  readonly ehrId?: string;
  readonly correlationId?: string;
  readonly action?: string;
  readonly outcome?: AuditOutcome;
  /** ISO 8601 instants, inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly limit: number;
  readonly offset: number;
}

interface AuditRow {
  id: number;
  recorded_at: string;
  correlation_id: string;
  subject: string | null;
  client_id: string | null;
  on_behalf_of: string | null;
  purpose: string | null;
  action: string;
  method: string;
  path: string;
  status: number;
  outcome: AuditOutcome;
  ehr_ids: string[];
  resources: string[];
  query: string | null;
  details: Record<string, unknown> | null;
}

/** Each filter and the condition it adds, given its parameter number. */
const FILTERS: readonly [Exclude<keyof AuditFilter, 'limit' | 'offset'>, (n: number) => string][] = [
  ['subject', (n) => `subject = $${n}`],
  ['clientId', (n) => `client_id = $${n}`],
  ['ehrId', (n) => `ehr_ids @> array[$${n}::uuid]`],
  ['correlationId', (n) => `correlation_id = $${n}`],
  ['action', (n) => `action = $${n}`],
  ['outcome', (n) => `outcome = $${n}`],
  ['from', (n) => `recorded_at >= $${n}::timestamptz`],
  ['to', (n) => `recorded_at <= $${n}::timestamptz`],
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** PostgreSQL text cannot hold NUL; what a caller sent is kept readable instead of failing the audit. */
function storable(text: string | undefined): string | null {
  return text === undefined ? null : text.replaceAll('\u0000', '\\u0000');
}

const COLUMNS = [
  'correlation_id', 'subject', 'client_id', 'on_behalf_of', 'purpose', 'action', 'method', 'path',
  'status', 'outcome', 'ehr_ids', 'resources', 'query', 'details',
] as const;
const CASTS: Partial<Record<(typeof COLUMNS)[number], string>> = { ehr_ids: '::uuid[]' };

/** Events written in one statement at most (14 parameters each). */
const MAX_BATCH = 200;

function rowOf(event: AuditEventInput): unknown[] {
  return [
    storable(event.correlationId),
    storable(event.subject),
    storable(event.clientId),
    storable(event.onBehalfOf),
    storable(event.purpose),
    storable(event.action),
    storable(event.method),
    storable(event.path),
    event.status,
    event.outcome,
    event.ehrIds.filter((id) => UUID.test(id)),
    event.resources.map((r) => storable(r) as string),
    storable(event.query),
    event.details === undefined ? null : JSON.parse(JSON.stringify(event.details).replace(/\\u0000/g, '\\\\u0000')),
  ];
}

interface Pending {
  readonly row: unknown[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Appends are durable when their promise resolves (a committed insert). Events that arrive
 * while an insert is under way wait for it and are then written together in one statement:
 * under concurrent load one commit, one WAL flush, carries many events, and a lone event
 * is written at once as before.
 */
export class AuditTrail {
  private readonly pending: Pending[] = [];
  private writing = false;

  constructor(private readonly db: Database) {}

  append(event: AuditEventInput): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ row: rowOf(event), resolve, reject });
      if (!this.writing) {
        void this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_BATCH);
        try {
          await this.insert(batch.map((p) => p.row));
          batch.forEach((p) => p.resolve());
        } catch (error) {
          if (batch.length === 1) {
            (batch[0] as Pending).reject(error);
            continue;
          }
          // One event the database refuses must not fail the others: each alone.
          for (const one of batch) {
            await this.insert([one.row]).then(one.resolve, one.reject);
          }
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async insert(rows: readonly unknown[][]): Promise<void> {
    const params: unknown[] = [];
    const tuples = rows.map((row) => {
      const placeholders = row.map((value, i) => {
        params.push(value);
        return `$${params.length}${CASTS[COLUMNS[i] as (typeof COLUMNS)[number]] ?? ''}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    await this.db.query(`insert into audit_event (${COLUMNS.join(', ')}) values ${tuples.join(', ')}`, params);
  }

  /** Events matching every given filter, newest first. */
  async search(filter: AuditFilter): Promise<AuditEvent[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    for (const [key, condition] of FILTERS) {
      const value = filter[key];
      if (value !== undefined) {
        params.push(value);
        conditions.push(condition(params.length));
      }
    }
    params.push(filter.limit, filter.offset);
    const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
    const result = await this.db.query<AuditRow>(
      `select * from audit_event ${where} order by recorded_at desc, id desc limit $${params.length - 1} offset $${params.length}`,
      params,
    );
    return result.rows.map((row) => ({
      id: row.id,
      recordedAt: isoTimestamp(row.recorded_at),
      correlationId: row.correlation_id,
      subject: row.subject ?? undefined,
      clientId: row.client_id ?? undefined,
      onBehalfOf: row.on_behalf_of ?? undefined,
      purpose: row.purpose ?? undefined,
      action: row.action,
      method: row.method,
      path: row.path,
      status: row.status,
      outcome: row.outcome,
      ehrIds: row.ehr_ids,
      resources: row.resources,
      query: row.query ?? undefined,
      details: row.details ?? undefined,
    }));
  }
}
