/** Canonical JSON of BASE identifiers and references. */
import type { RmObject } from './json.js';

export interface ObjectId extends RmObject {
  readonly value: string;
}
export interface HierObjectId extends ObjectId {
  readonly _type?: 'HIER_OBJECT_ID';
}
/** `uuid::system_id::version` (see `parseVersionUid`). */
export interface ObjectVersionIdJson extends ObjectId {
  readonly _type?: 'OBJECT_VERSION_ID';
}
export interface ArchetypeId extends ObjectId {
  readonly _type?: 'ARCHETYPE_ID';
}
export interface TemplateId extends ObjectId {
  readonly _type?: 'TEMPLATE_ID';
}
export interface TerminologyId extends ObjectId {
  readonly _type?: 'TERMINOLOGY_ID';
}
export interface GenericId extends ObjectId {
  readonly _type: 'GENERIC_ID';
  readonly scheme: string;
}
export type UidBasedIdJson = (HierObjectId & { readonly _type: 'HIER_OBJECT_ID' }) | (ObjectVersionIdJson & { readonly _type: 'OBJECT_VERSION_ID' });
export type AnyObjectId =
  | UidBasedIdJson
  | (ArchetypeId & { readonly _type: 'ARCHETYPE_ID' })
  | (TemplateId & { readonly _type: 'TEMPLATE_ID' })
  | (TerminologyId & { readonly _type: 'TERMINOLOGY_ID' })
  | GenericId;

export interface ObjectRef extends RmObject {
  readonly _type?: 'OBJECT_REF' | 'PARTY_REF' | 'ACCESS_GROUP_REF' | 'LOCATABLE_REF';
  readonly id: AnyObjectId;
  readonly namespace: string;
  readonly type: string;
}
export interface PartyRef extends ObjectRef {
  readonly _type?: 'PARTY_REF';
}
export interface LocatableRef extends ObjectRef {
  readonly _type: 'LOCATABLE_REF';
  readonly id: UidBasedIdJson;
  readonly path?: string;
}
