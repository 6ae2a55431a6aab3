/** Canonical JSON of COMMON classes: LOCATABLE, parties, audits, versions, contributions, folders. */
import type { DvCodedText, DvDateTime, DvEhrUri, DvIdentifier, DvInterval, DvText } from './data-values.js';
import type { ArchetypeId, HierObjectId, ObjectRef, ObjectVersionIdJson, PartyRef, TemplateId, UidBasedIdJson } from './identifiers.js';
import type { RmObject } from './json.js';
import type { ItemStructure } from './structures.js';

export interface Archetyped extends RmObject {
  readonly _type?: 'ARCHETYPED';
  readonly archetype_id: ArchetypeId;
  readonly template_id?: TemplateId;
  readonly rm_version: string;
}

export interface Link extends RmObject {
  readonly meaning: DvText;
  readonly type: DvText;
  readonly target: DvEhrUri;
}

export interface FeederAuditDetails extends RmObject {
  readonly system_id: string;
  readonly location?: PartyIdentified;
  readonly provider?: PartyIdentified;
  readonly subject?: PartyProxy;
  readonly time?: DvDateTime;
  readonly version_id?: string;
  readonly other_details?: ItemStructure;
}

export interface FeederAudit extends RmObject {
  readonly originating_system_item_ids?: readonly DvIdentifier[];
  readonly feeder_system_item_ids?: readonly DvIdentifier[];
  readonly original_content?: RmObject;
  readonly originating_system_audit: FeederAuditDetails;
  readonly feeder_system_audit?: FeederAuditDetails;
}

/** What every archetyped node carries. */
export interface Locatable extends RmObject {
  readonly archetype_node_id: string;
  readonly name: DvText;
  readonly uid?: UidBasedIdJson;
  readonly links?: readonly Link[];
  readonly archetype_details?: Archetyped;
  readonly feeder_audit?: FeederAudit;
}

export interface PartySelf extends RmObject {
  readonly _type: 'PARTY_SELF';
  readonly external_ref?: PartyRef;
}

export interface PartyIdentified extends RmObject {
  readonly _type?: 'PARTY_IDENTIFIED' | 'PARTY_RELATED';
  readonly external_ref?: PartyRef;
  readonly name?: string;
  readonly identifiers?: readonly DvIdentifier[];
}

export interface PartyRelated extends PartyIdentified {
  readonly _type: 'PARTY_RELATED';
  readonly relationship: DvCodedText;
}

/** PARTY_PROXY is abstract, so its canonical JSON always names the concrete class. */
export type PartyProxy = PartySelf | (PartyIdentified & { readonly _type: 'PARTY_IDENTIFIED' }) | PartyRelated;

export interface Participation extends RmObject {
  readonly function: DvText;
  readonly performer: PartyProxy;
  readonly time?: DvInterval;
  readonly mode?: DvCodedText;
}

export interface AuditDetails extends RmObject {
  readonly _type?: 'AUDIT_DETAILS' | 'ATTESTATION';
  readonly system_id: string;
  readonly committer: PartyProxy;
  readonly time_committed: DvDateTime;
  readonly change_type: DvCodedText;
  readonly description?: DvText;
}

export interface Attestation extends AuditDetails {
  readonly _type: 'ATTESTATION';
  readonly proof?: string;
  readonly items?: readonly DvEhrUri[];
  readonly reason: DvText;
  readonly is_pending: boolean;
}

export interface OriginalVersion<T extends RmObject = Locatable> extends RmObject {
  readonly _type: 'ORIGINAL_VERSION';
  readonly contribution: ObjectRef;
  readonly commit_audit: AuditDetails;
  readonly signature?: string;
  readonly uid: ObjectVersionIdJson;
  readonly data?: T;
  readonly preceding_version_uid?: ObjectVersionIdJson;
  readonly other_input_version_uids?: readonly ObjectVersionIdJson[];
  readonly attestations?: readonly Attestation[];
  readonly lifecycle_state: DvCodedText;
}

export interface Contribution extends RmObject {
  readonly _type?: 'CONTRIBUTION';
  readonly uid: HierObjectId;
  readonly versions: readonly ObjectRef[];
  readonly audit: AuditDetails;
}

export interface Folder extends Locatable {
  readonly _type?: 'FOLDER';
  readonly folders?: readonly Folder[];
  readonly items?: readonly ObjectRef[];
  readonly details?: ItemStructure;
}

