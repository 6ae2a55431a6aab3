/**
 * COMMON: archetyped (LOCATABLE and what it carries), generic (parties, participations,
 * audits), change control (versions, contributions) and directory (FOLDER).
 */
import { abstract, attr, concrete, type RmClass } from './definition.js';

export const COMMON_CLASSES: readonly RmClass[] = [
  // archetyped
  abstract('PATHABLE', undefined),
  abstract('LOCATABLE', 'PATHABLE', [
    attr('archetype_node_id', 'String', '1', { xmlAttribute: true }),
    attr('name', 'DV_TEXT', '1'),
    attr('uid', 'UID_BASED_ID', '0..1'),
    attr('links', 'LINK', '0..*'),
    attr('archetype_details', 'ARCHETYPED', '0..1'),
    attr('feeder_audit', 'FEEDER_AUDIT', '0..1'),
  ]),
  concrete('ARCHETYPED', undefined, [
    attr('archetype_id', 'ARCHETYPE_ID', '1'),
    attr('template_id', 'TEMPLATE_ID', '0..1'),
    attr('rm_version', 'String', '1'),
  ]),
  concrete('LINK', undefined, [
    attr('meaning', 'DV_TEXT', '1'),
    attr('type', 'DV_TEXT', '1'),
    attr('target', 'DV_EHR_URI', '1'),
  ]),
  concrete('FEEDER_AUDIT', undefined, [
    attr('originating_system_item_ids', 'DV_IDENTIFIER', '0..*'),
    attr('feeder_system_item_ids', 'DV_IDENTIFIER', '0..*'),
    attr('original_content', 'DV_ENCAPSULATED', '0..1'),
    attr('originating_system_audit', 'FEEDER_AUDIT_DETAILS', '1'),
    attr('feeder_system_audit', 'FEEDER_AUDIT_DETAILS', '0..1'),
  ]),
  concrete('FEEDER_AUDIT_DETAILS', undefined, [
    attr('system_id', 'String', '1'),
    attr('location', 'PARTY_IDENTIFIED', '0..1'),
    attr('provider', 'PARTY_IDENTIFIED', '0..1'),
    attr('subject', 'PARTY_PROXY', '0..1'),
    attr('time', 'DV_DATE_TIME', '0..1'),
    attr('version_id', 'String', '0..1'),
    attr('other_details', 'ITEM_STRUCTURE', '0..1'),
  ]),

  // generic
  abstract('PARTY_PROXY', undefined, [attr('external_ref', 'PARTY_REF', '0..1')]),
  concrete('PARTY_SELF', 'PARTY_PROXY'),
  concrete('PARTY_IDENTIFIED', 'PARTY_PROXY', [
    attr('name', 'String', '0..1'),
    attr('identifiers', 'DV_IDENTIFIER', '0..*'),
  ]),
  concrete('PARTY_RELATED', 'PARTY_IDENTIFIED', [attr('relationship', 'DV_CODED_TEXT', '1')]),
  concrete('PARTICIPATION', undefined, [
    attr('function', 'DV_TEXT', '1'),
    attr('performer', 'PARTY_PROXY', '1'),
    attr('time', 'DV_INTERVAL', '0..1'),
    attr('mode', 'DV_CODED_TEXT', '0..1'),
  ]),
  concrete('AUDIT_DETAILS', undefined, [
    attr('system_id', 'String', '1'),
    attr('committer', 'PARTY_PROXY', '1'),
    attr('time_committed', 'DV_DATE_TIME', '1'),
    attr('change_type', 'DV_CODED_TEXT', '1'),
    attr('description', 'DV_TEXT', '0..1'),
  ]),
  concrete('ATTESTATION', 'AUDIT_DETAILS', [
    attr('attested_view', 'DV_MULTIMEDIA', '0..1'),
    attr('proof', 'String', '0..1'),
    attr('items', 'DV_EHR_URI', '0..*'),
    attr('reason', 'DV_TEXT', '1'),
    attr('is_pending', 'Boolean', '1'),
  ]),
  concrete('REVISION_HISTORY', undefined, [attr('items', 'REVISION_HISTORY_ITEM', '1..*')]),
  concrete('REVISION_HISTORY_ITEM', undefined, [
    attr('version_id', 'OBJECT_VERSION_ID', '1'),
    attr('audits', 'AUDIT_DETAILS', '1..*'),
  ]),

  // change control
  concrete('VERSIONED_OBJECT', undefined, [
    attr('uid', 'HIER_OBJECT_ID', '1'),
    attr('owner_id', 'OBJECT_REF', '1'),
    attr('time_created', 'DV_DATE_TIME', '1'),
  ]),
  concrete('VERSIONED_COMPOSITION', 'VERSIONED_OBJECT'),
  concrete('VERSIONED_EHR_STATUS', 'VERSIONED_OBJECT'),
  concrete('VERSIONED_EHR_ACCESS', 'VERSIONED_OBJECT'),
  concrete('VERSIONED_FOLDER', 'VERSIONED_OBJECT'),
  abstract('VERSION', undefined, [
    attr('contribution', 'OBJECT_REF', '1'),
    attr('commit_audit', 'AUDIT_DETAILS', '1'),
    attr('signature', 'String', '0..1'),
  ]),
  // data is the versioned content (VERSION<T>); absent in a version that records a deletion
  concrete('ORIGINAL_VERSION', 'VERSION', [
    attr('uid', 'OBJECT_VERSION_ID', '1'),
    attr('data', 'LOCATABLE', '0..1'),
    attr('preceding_version_uid', 'OBJECT_VERSION_ID', '0..1'),
    attr('other_input_version_uids', 'OBJECT_VERSION_ID', '0..*'),
    attr('attestations', 'ATTESTATION', '0..*'),
    attr('lifecycle_state', 'DV_CODED_TEXT', '1'),
  ]),
  concrete('IMPORTED_VERSION', 'VERSION', [attr('item', 'ORIGINAL_VERSION', '1')]),
  concrete('CONTRIBUTION', undefined, [
    attr('uid', 'HIER_OBJECT_ID', '1'),
    attr('versions', 'OBJECT_REF', '1..*'),
    attr('audit', 'AUDIT_DETAILS', '1'),
  ]),

  // directory
  concrete('FOLDER', 'LOCATABLE', [
    attr('folders', 'FOLDER', '0..*'),
    attr('items', 'OBJECT_REF', '0..*'),
    attr('details', 'ITEM_STRUCTURE', '0..1'),
  ]),
];
