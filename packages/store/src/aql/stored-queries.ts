/**
 * Stored queries (Definition API): AQL text under a qualified name and a SEMVER version.
 * A version, once stored, is never replaced; storing without a version takes the next
 * patch version (1.0.0 for a new name).
 */
import type { Queryable } from '../database.js';
import { isoTimestamp } from '../store.js';

export interface StoredQuery {
  readonly name: string;
  readonly version: string;
  readonly type: string;
  readonly q: string;
  /** ISO 8601, UTC. */
  readonly saved: string;
}

export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

interface Row {
  name: string;
  major: number;
  minor: number;
  patch: number;
  query_type: string;
  q: string;
  saved: string;
}

function toStored(row: Row): StoredQuery {
  return {
    name: row.name,
    version: `${row.major}.${row.minor}.${row.patch}`,
    type: row.query_type,
    q: row.q,
    saved: isoTimestamp(row.saved),
  };
}

export class StoredQueryRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Stores a query at an exact version, or at the next patch version when none is given.
   * Returns undefined when that version already exists.
   */
  async store(name: string, version: SemVer | undefined, type: string, q: string): Promise<StoredQuery | undefined> {
    const saved = new Date().toISOString();
    if (version) {
      const result = await this.db.query<Row>(
        `insert into stored_query (name, major, minor, patch, query_type, q, saved) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict do nothing returning *`,
        [name, version.major, version.minor, version.patch, type, q, saved],
      );
      const row = result.rows[0];
      return row ? toStored(row) : undefined;
    }
    const result = await this.db.query<Row>(
      `insert into stored_query (name, major, minor, patch, query_type, q, saved)
       select $1, coalesce(max_major, 1), coalesce(max_minor, 0), coalesce(max_patch + 1, 0), $2, $3, $4
       from (select major as max_major, minor as max_minor, patch as max_patch from stored_query where name = $1
             order by major desc, minor desc, patch desc limit 1) latest
       right join (select 1) one on true
       on conflict do nothing returning *`,
      [name, type, q, saved],
    );
    const row = result.rows[0];
    return row ? toStored(row) : undefined;
  }

  /** The latest version of a query, or the latest matching a version prefix (`1`, `1.2`, `1.2.3`). */
  async find(name: string, prefix: Partial<SemVer> = {}): Promise<StoredQuery | undefined> {
    const result = await this.db.query<Row>(
      `select * from stored_query where name = $1
         and ($2::integer is null or major = $2) and ($3::integer is null or minor = $3) and ($4::integer is null or patch = $4)
       order by major desc, minor desc, patch desc limit 1`,
      [name, prefix.major ?? null, prefix.minor ?? null, prefix.patch ?? null],
    );
    const row = result.rows[0];
    return row ? toStored(row) : undefined;
  }

  /** Every version of every query whose name starts with `prefix` (all queries for an empty prefix). */
  async list(prefix: string): Promise<StoredQuery[]> {
    const result = await this.db.query<Row>(
      `select * from stored_query where left(name, length($1)) = $1 order by name, major, minor, patch`,
      [prefix],
    );
    return result.rows.map(toStored);
  }
}
