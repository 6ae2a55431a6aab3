/**
 * Compiled AQL statements kept for reuse. A clinician's app sends the same query for one
 * patient after another: the query text stays, the EHR id (a parameter or `ehr_id`)
 * changes. So a statement is kept by its text, paging and parameter values, except that
 * lower-case UUID values are bound late: the query is compiled once with stand-in UUIDs in
 * their place, and each request puts its own UUIDs where the stand-ins came out among the
 * statement's parameters.
 *
 * That is only sound where the compiler passes a UUID through untouched, so the stand-in
 * compile is kept only if every statement parameter that mentions a stand-in is the
 * stand-in itself (or its JSON string), and the SQL text mentions none (values are never
 * spliced into it). A stand-in is a random UUID of this process, so a query that writes one
 * as a literal is not a concern; a query whose text contains one anyway is compiled as is.
 * Anything else (an upper-case UUID, a compile that fails with stand-ins) is compiled with
 * the request's own values and kept under them.
 */
import { randomUUID } from 'node:crypto';
import type { CompiledAql } from '@cdr/aql';

/** The request as far as compiling depends on it. */
export interface StatementRequest {
  readonly q: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly ehrId?: string | undefined;
  readonly fetch?: number | undefined;
  readonly offset?: number | undefined;
}

/** A compiled statement and the paging it was compiled for. */
export interface Prepared {
  readonly compiled: CompiledAql;
  readonly limit: number;
  readonly offset: number;
  /** The query's own LIMIT or TOP. */
  readonly queryLimit: number | undefined;
}

/** Where a late-bound value goes: the statement parameter (and array element), and how. */
interface Slot {
  readonly index: number;
  readonly element?: number;
  /** The value's name: a parameter name, or '' for `ehr_id`. */
  readonly source: string;
  readonly json: boolean;
}

interface Entry {
  readonly prepared: Prepared;
  readonly slots: readonly Slot[];
}

const LOWER_CASE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Requests whose key is longer than this (huge MATCHES lists, say) are compiled every time. */
const MAX_KEY_LENGTH = 16_384;
const EHR_ID = '';

export class StatementCache {
  private readonly entries = new Map<string, Entry>();
  /** Stand-ins by value name, made as needed; never shown to anyone. */
  private readonly standIns = new Map<string, string>();

  constructor(private readonly capacity = 500) {}

  /** The statement for a request: kept, or compiled by `compile` (whose errors pass through). */
  statement(request: StatementRequest, compile: (request: StatementRequest) => Prepared): Prepared {
    const late = this.lateBound(request);
    if (late) {
      const entry = this.get(late.key) ?? this.compileWithStandIns(request, late, compile);
      if (entry) {
        return bind(entry, late.values);
      }
    }
    const key = `exact ${keyOf(request, request.parameters, request.ehrId ?? null)}`;
    const known = this.get(key);
    if (known) {
      return known.prepared;
    }
    const prepared = compile(request);
    this.set(key, { prepared, slots: [] });
    return prepared;
  }

  private lateBound(request: StatementRequest): { key: string; values: Map<string, string>; standIns: Map<string, string> } | undefined {
    const values = new Map<string, string>();
    const shape: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(request.parameters)) {
      if (typeof value === 'string' && LOWER_CASE_UUID.test(value)) {
        values.set(name, value);
        shape[name] = { uuid: true };
      } else {
        shape[name] = value;
      }
    }
    const ehrId = request.ehrId !== undefined && LOWER_CASE_UUID.test(request.ehrId) ? request.ehrId : undefined;
    if (ehrId !== undefined) {
      values.set(EHR_ID, ehrId);
    }
    if (values.size === 0) {
      return undefined;
    }
    const standIns = new Map([...values.keys()].map((name) => [name, this.standIn(name)]));
    if ([...standIns.values()].some((s) => request.q.includes(s))) {
      return undefined;
    }
    return { key: `late ${keyOf(request, shape, ehrId !== undefined ? { uuid: true } : (request.ehrId ?? null))}`, values, standIns };
  }

  private compileWithStandIns(
    request: StatementRequest,
    late: { key: string; standIns: Map<string, string> },
    compile: (request: StatementRequest) => Prepared,
  ): Entry | undefined {
    const parameters = Object.fromEntries(Object.entries(request.parameters).map(([name, value]) => [name, late.standIns.get(name) ?? value]));
    const ehrId = late.standIns.get(EHR_ID) ?? request.ehrId;
    let prepared: Prepared;
    try {
      prepared = compile({ ...request, parameters, ...(ehrId !== undefined ? { ehrId } : {}) });
    } catch {
      return undefined; // compiled again with the request's own values, for its own error
    }
    const slots = slotsOf(prepared.compiled, late.standIns);
    if (!slots) {
      return undefined;
    }
    const entry = { prepared, slots };
    this.set(late.key, entry);
    return entry;
  }

  private standIn(name: string): string {
    let standIn = this.standIns.get(name);
    if (!standIn) {
      standIn = randomUUID();
      this.standIns.set(name, standIn);
    }
    return standIn;
  }

  private get(key: string): Entry | undefined {
    const known = this.entries.get(key);
    if (known) {
      this.entries.delete(key);
      this.entries.set(key, known);
    }
    return known;
  }

  private set(key: string, entry: Entry): void {
    if (key.length > MAX_KEY_LENGTH) {
      return;
    }
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }
}

function keyOf(request: StatementRequest, parameters: unknown, ehrId: unknown): string {
  return JSON.stringify([request.q, parameters, request.fetch ?? null, request.offset ?? null, ehrId]);
}

/** Where the stand-ins came out; undefined when one came out in any other form. */
function slotsOf(compiled: CompiledAql, standIns: ReadonlyMap<string, string>): Slot[] | undefined {
  const bySource = new Map<string, { source: string; json: boolean }>();
  for (const [source, standIn] of standIns) {
    bySource.set(standIn, { source, json: false });
    bySource.set(JSON.stringify(standIn), { source, json: true });
  }
  const mentions = (text: string) => [...standIns.values()].some((s) => text.includes(s));
  if (mentions(compiled.sql)) {
    return undefined;
  }
  const slots: Slot[] = [];
  const visit = (value: unknown, index: number, element?: number): boolean => {
    if (typeof value === 'string') {
      const found = bySource.get(value);
      if (found) {
        slots.push({ index, ...(element !== undefined ? { element } : {}), ...found });
        return true;
      }
      return !mentions(value);
    }
    if (Array.isArray(value) && element === undefined) {
      return value.every((item, i) => visit(item, index, i));
    }
    return value === null || typeof value !== 'object' || !mentions(JSON.stringify(value));
  };
  return compiled.params.every((value, index) => visit(value, index)) ? slots : undefined;
}

/** The entry's statement with the request's values in the slots. */
function bind(entry: Entry, values: ReadonlyMap<string, string>): Prepared {
  if (entry.slots.length === 0) {
    return entry.prepared;
  }
  const params = [...entry.prepared.compiled.params];
  for (const slot of entry.slots) {
    const value = values.get(slot.source) as string;
    const bound = slot.json ? JSON.stringify(value) : value;
    if (slot.element === undefined) {
      params[slot.index] = bound;
    } else {
      const list = [...(params[slot.index] as unknown[])];
      list[slot.element] = bound;
      params[slot.index] = list;
    }
  }
  return { ...entry.prepared, compiled: { ...entry.prepared.compiled, params } };
}
