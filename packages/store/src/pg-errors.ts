/**
 * PostgreSQL errors translated once, by SQLSTATE, into the CDR's error type.
 * Anything not listed stays an unexpected error (a 500 with a correlation id).
 */
import { CdrError } from '@cdr/rm';

interface PgErrorLike {
  readonly code?: string;
  readonly constraint?: string;
  readonly detail?: string;
  readonly message?: string;
}

function isPgError(error: unknown): error is PgErrorLike {
  return typeof error === 'object' && error !== null && typeof (error as PgErrorLike).code === 'string';
}

/** Messages for unique constraints a caller can run into, by constraint name. */
const UNIQUE_MESSAGES: Readonly<Record<string, string>> = {
  ehr_pkey: 'an EHR with this id already exists',
  ehr_subject_pkey: 'an EHR for this subject and namespace already exists',
  versioned_object_pkey: 'an object with this uid already exists in this EHR',
  object_version_pkey: 'this version was committed concurrently by another request',
  contribution_pkey: 'a contribution with this uid already exists',
  template_pkey: 'a template with this id already exists',
  stored_query_pkey: 'a stored query with this name and version already exists',
};

export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof CdrError || !isPgError(error)) {
    if (isConnectionError(error)) {
      return new CdrError('unavailable', 'the database is not reachable; try again shortly', { cause: error });
    }
    return error;
  }
  switch (error.code) {
    case '23505': // unique_violation
      return new CdrError('conflict', UNIQUE_MESSAGES[error.constraint ?? ''] ?? 'the object conflicts with one that exists', { cause: error });
    case '23503': // foreign_key_violation
      return new CdrError('not-found', 'a referenced object does not exist', { cause: error });
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
      return new CdrError('conflict', 'the change conflicted with a concurrent change; retry it', { cause: error });
    case '57014': // query_canceled (statement timeout)
      return new CdrError('unavailable', 'the query took longer than the configured statement timeout', { cause: error });
    case '22003': // numeric_value_out_of_range
    case '22P02': // invalid_text_representation
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
      return new CdrError('bad-request', `a value has the wrong format: ${error.message ?? ''}`, { cause: error });
    case '53300': // too_many_connections
    case '57P01': // admin_shutdown
    case '57P02': // crash_shutdown
    case '57P03': // cannot_connect_now
    case '08000':
    case '08003':
    case '08006':
      return new CdrError('unavailable', 'the database is not available; try again shortly', { cause: error });
    default:
      return error;
  }
}

function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) {
    return false;
  }
  const code = (error as { code?: unknown }).code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ETIMEDOUT' ||
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message)
  );
}
