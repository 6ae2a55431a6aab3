/**
 * The openEHR commit headers: `openEHR-VERSION.lifecycle_state`,
 * `openEHR-AUDIT_DETAILS.change_type`, `.description` and `.committer`, each a list of
 * `key="value"` pairs. Without a committer header the committer is the caller's identity.
 */
import type { Request } from 'express';
import { CdrError, isUuid } from '@cdr/rm';
import { ChangeType, LifecycleState, type JsonObject } from '@cdr/store';
import './context.js';

function pairs(header: string, name: string): Map<string, string> {
  const result = new Map<string, string>();
  const pattern = /\s*([A-Za-z_][\w.]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/gy;
  let match: RegExpExecArray | null;
  let end = 0;
  while ((match = pattern.exec(header)) !== null) {
    result.set(match[1] as string, (match[2] as string).replace(/\\(.)/g, '$1'));
    end = pattern.lastIndex;
    if (end >= header.length) {
      break;
    }
  }
  if (end < header.trim().length) {
    throw new CdrError('bad-request', `header ${name} is not a list of key="value" pairs: '${header}'`);
  }
  return result;
}

function header(req: Request, name: string): Map<string, string> | undefined {
  const value = req.get(name);
  return value === undefined ? undefined : pairs(value, name);
}

export interface CommitMetadata {
  readonly committer: JsonObject;
  readonly description?: JsonObject;
  /** A change type the caller asked for (checked against the operation by the caller). */
  readonly changeType?: string;
  readonly lifecycleState?: string;
}

const KNOWN_CHANGE_TYPES = new Set<string>(Object.values(ChangeType));
const COMMITTABLE_LIFECYCLES = new Set<string>([LifecycleState.complete, LifecycleState.incomplete]);

export function committerFromIdentity(req: Request): JsonObject {
  const identity = req.identity;
  if (!identity || identity.anonymous) {
    return { _type: 'PARTY_IDENTIFIED', name: 'anonymous' };
  }
  return {
    _type: 'PARTY_IDENTIFIED',
    name: identity.name ?? identity.subject,
    external_ref: {
      _type: 'PARTY_REF',
      id: isUuid(identity.subject)
        ? { _type: 'HIER_OBJECT_ID', value: identity.subject }
        : { _type: 'GENERIC_ID', value: identity.subject, scheme: 'oauth2-sub' },
      namespace: 'access_token',
      type: 'PERSON',
    },
  };
}

export function commitMetadata(req: Request): CommitMetadata {
  const committerHeader = header(req, 'openEHR-AUDIT_DETAILS.committer');
  const descriptionHeader = header(req, 'openEHR-AUDIT_DETAILS.description');
  const changeTypeHeader = header(req, 'openEHR-AUDIT_DETAILS.change_type');
  const versionHeader = header(req, 'openEHR-VERSION.lifecycle_state');

  let committer = committerFromIdentity(req);
  if (committerHeader) {
    const name = committerHeader.get('name');
    const refId = committerHeader.get('external_ref.id');
    const party: JsonObject = { _type: 'PARTY_IDENTIFIED' };
    if (refId !== undefined) {
      party.external_ref = {
        _type: 'PARTY_REF',
        id: isUuid(refId)
          ? { _type: 'HIER_OBJECT_ID', value: refId }
          : { _type: 'GENERIC_ID', value: refId, scheme: committerHeader.get('external_ref.id.scheme') ?? 'unspecified' },
        namespace: committerHeader.get('external_ref.namespace') ?? 'unspecified',
        type: committerHeader.get('external_ref.type') ?? 'PARTY',
      };
    }
    if (name !== undefined) {
      party.name = name;
    }
    if (name === undefined && refId === undefined) {
      throw new CdrError('bad-request', 'header openEHR-AUDIT_DETAILS.committer needs at least name="..." or external_ref.id="..."');
    }
    committer = party;
  }
  const metadata: { -readonly [K in keyof CommitMetadata]: CommitMetadata[K] } = { committer };
  const description = descriptionHeader?.get('value');
  if (description !== undefined) {
    metadata.description = { _type: 'DV_TEXT', value: description };
  }
  const changeType = changeTypeHeader?.get('code_string');
  if (changeTypeHeader && (changeType === undefined || !KNOWN_CHANGE_TYPES.has(changeType))) {
    throw new CdrError('bad-request', `header openEHR-AUDIT_DETAILS.change_type has no known code_string (one of ${[...KNOWN_CHANGE_TYPES].join(', ')})`);
  }
  if (changeType !== undefined) {
    metadata.changeType = changeType;
  }
  const lifecycle = versionHeader?.get('code_string');
  if (versionHeader && (lifecycle === undefined || !COMMITTABLE_LIFECYCLES.has(lifecycle))) {
    throw new CdrError('bad-request', 'header openEHR-VERSION.lifecycle_state must have code_string="532" (complete) or "553" (incomplete)');
  }
  if (lifecycle !== undefined) {
    metadata.lifecycleState = lifecycle;
  }
  return metadata;
}
