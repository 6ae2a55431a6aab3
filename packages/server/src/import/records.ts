/**
 * The lines of an import file (NDJSON, UTF-8, one JSON object per line):
 *
 *   {"type":"ehr","ehr_id":"<uuid>","ehr_status":{ EHR_STATUS in canonical JSON }}
 *   {"type":"composition","ehr_id":"<uuid>","composition":{ COMPOSITION in canonical JSON }}
 *
 * An EHR line creates the EHR with that id and status (its subject, in
 * `ehr_status.subject.external_ref`, goes to the subject index); without `ehr_status` the EHR
 * gets the default status. A composition line commits one version of a composition to an
 * EHR created earlier (in the file or before): its `uid` (`<uuid>::<system id>::<n>`) names
 * the versioned object and the version. Version 1 is a creation, version n a modification
 * of version n-1; the system id of the uid is replaced by this CDR's. Optional:
 * `"lifecycle_state": "complete" | "incomplete"` (default complete). Ids are stable, so a
 * file can be imported again: what is already stored is skipped.
 */
import { CdrError, isJsonObject, parseUuid, tryParseVersionUid } from '@cdr/rm';
import { LifecycleState, type JsonObject, type LifecycleStateCode } from '@cdr/store';

export interface EhrLine {
  readonly type: 'ehr';
  readonly ehr_id: string;
  readonly ehr_status?: JsonObject;
}

export interface CompositionLine {
  readonly type: 'composition';
  readonly ehr_id: string;
  readonly composition: JsonObject;
  readonly lifecycle_state?: 'complete' | 'incomplete';
}

export type ImportLine = EhrLine | CompositionLine;

/** A line read and checked for its envelope (the content is checked later, like a commit's). */
export type ParsedLine =
  | { readonly kind: 'ehr'; readonly ehrId: string; readonly ehrStatus: JsonObject | undefined }
  | {
      readonly kind: 'composition';
      readonly ehrId: string;
      readonly objectId: string;
      readonly version: number;
      readonly lifecycleState: LifecycleStateCode;
      readonly composition: JsonObject;
    };

function bad(message: string): CdrError {
  return new CdrError('bad-request', message);
}

/** Parses one line's envelope; a CdrError says what is wrong with it. */
export function parseImportLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw bad(`not JSON: ${(error as Error).message}`);
  }
  if (!isJsonObject(value)) {
    throw bad('a line must be a JSON object');
  }
  const ehrId = parseUuid(typeof value.ehr_id === 'string' ? value.ehr_id : String(value.ehr_id), 'ehr_id');
  if (value.type === 'ehr') {
    const status = value.ehr_status;
    if (status !== undefined && !isJsonObject(status)) {
      throw bad('ehr_status must be an EHR_STATUS object');
    }
    return { kind: 'ehr', ehrId, ehrStatus: status as JsonObject | undefined };
  }
  if (value.type === 'composition') {
    const composition = value.composition;
    if (!isJsonObject(composition)) {
      throw bad('composition must be a COMPOSITION object');
    }
    const uid = isJsonObject(composition.uid) ? composition.uid.value : undefined;
    const parsed = typeof uid === 'string' ? tryParseVersionUid(uid) : undefined;
    if (!parsed) {
      throw bad('the composition needs a uid of the form <uuid>::<system id>::<version> (stable ids make an import repeatable)');
    }
    const lifecycle = value.lifecycle_state ?? 'complete';
    if (lifecycle !== 'complete' && lifecycle !== 'incomplete') {
      throw bad(`lifecycle_state must be complete or incomplete, not '${String(lifecycle)}'`);
    }
    return {
      kind: 'composition',
      ehrId,
      objectId: parsed.objectId,
      version: parsed.version,
      lifecycleState: LifecycleState[lifecycle],
      composition: composition as JsonObject,
    };
  }
  throw bad(`type must be 'ehr' or 'composition', not '${String(value.type)}'`);
}
