/**
 * The only places where names become SQL text. Identifiers are always double-quoted by
 * `sanitizeIdentifier`; function names, type names and keywords are not quoted but must
 * match strict patterns, so nothing but a name can ever come out of them.
 */
import { CdrError } from '@cdr/rm';

/** PostgreSQL's NAMEDATALEN - 1: longer identifiers would be truncated silently. */
const MAX_IDENTIFIER_BYTES = 63;

const utf8 = new TextEncoder();

function invalid(message: string): CdrError {
  return new CdrError('internal', `invalid SQL tree: ${message}`);
}

/**
 * A quoted PostgreSQL identifier: `"name"`, with every `"` doubled. Refuses empty names,
 * NUL characters (PostgreSQL cannot store them) and names it would truncate.
 */
export function sanitizeIdentifier(name: string): string {
  assertIdentifier(name);
  return `"${name.replaceAll('"', '""')}"`;
}

export function assertIdentifier(name: string): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw invalid('an identifier must be a non-empty string');
  }
  if (name.includes('\u0000')) {
    throw invalid('an identifier cannot contain a NUL character');
  }
  // a UTF-8 character takes at most 4 bytes: only names of more than 15 characters can be too long
  if (name.length > MAX_IDENTIFIER_BYTES / 4 && utf8.encode(name).length > MAX_IDENTIFIER_BYTES) {
    throw invalid(`the identifier "${name.slice(0, 20)}..." is longer than ${MAX_IDENTIFIER_BYTES} bytes`);
  }
}

const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** `lower`, `jsonb_path_query`, `pg_catalog.count`. */
export function assertFunctionName(name: string): void {
  if (typeof name !== 'string' || !FUNCTION_NAME.test(name)) {
    throw invalid(`'${String(name).slice(0, 40)}' is not a valid function name`);
  }
}

const TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?: [A-Za-z_][A-Za-z0-9_]*)*(?:\(\d+(?:, ?\d+)?\))?(?:\[\])*$/;

/** `text`, `jsonb`, `numeric(10,2)`, `timestamp with time zone`, `text[]`. */
export function assertTypeName(name: string): void {
  if (typeof name !== 'string' || !TYPE_NAME.test(name)) {
    throw invalid(`'${String(name).slice(0, 40)}' is not a valid type name`);
  }
}

const KEYWORD = /^[A-Z_]+(?: [A-Z_]+)*$/;

/** Upper-case SQL keywords only: NULL, TRUE, DEFAULT, CURRENT_TIMESTAMP, ALL. */
export function assertKeyword(keyword: string): void {
  if (typeof keyword !== 'string' || !KEYWORD.test(keyword)) {
    throw invalid(`'${String(keyword).slice(0, 40)}' is not an SQL keyword`);
  }
}
