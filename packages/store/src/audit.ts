/** Builds the AUDIT_DETAILS the store records with every contribution and version. */
import { withExplicitTypes } from '@cdr/rm';
import { ChangeType, type ChangeTypeCode, type JsonObject } from './model.js';

const CHANGE_TYPE_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(ChangeType).map(([name, code]) => [code, name]),
);

export function changeTypeName(code: string): string {
  return CHANGE_TYPE_NAMES[code] ?? 'unknown';
}

export function openehrCode(value: string, code: string): JsonObject {
  return {
    _type: 'DV_CODED_TEXT',
    value,
    defining_code: {
      _type: 'CODE_PHRASE',
      terminology_id: { _type: 'TERMINOLOGY_ID', value: 'openehr' },
      code_string: code,
    },
  };
}

export function auditDetails(input: {
  systemId: string;
  timeCommitted: string;
  changeType: ChangeTypeCode | string;
  committer: JsonObject;
  description?: JsonObject | undefined;
}): JsonObject {
  const audit: JsonObject = {
    _type: 'AUDIT_DETAILS',
    system_id: input.systemId,
    time_committed: { _type: 'DV_DATE_TIME', value: input.timeCommitted },
    change_type: openehrCode(changeTypeName(input.changeType), input.changeType),
    committer: input.committer,
  };
  if (input.description) {
    audit.description = input.description;
  }
  // The committer and description come from callers; stored with every `_type` explicit.
  return withExplicitTypes(audit, 'AUDIT_DETAILS') as JsonObject;
}
