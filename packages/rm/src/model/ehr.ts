/** EHR and COMPOSITION packages: the EHR, its status and access objects, compositions and their content. */
import { abstract, attr, concrete, type RmClass } from './definition.js';

export const EHR_CLASSES: readonly RmClass[] = [
  concrete('EHR', undefined, [
    attr('system_id', 'HIER_OBJECT_ID', '1'),
    attr('ehr_id', 'HIER_OBJECT_ID', '1'),
    attr('time_created', 'DV_DATE_TIME', '1'),
    attr('contributions', 'OBJECT_REF', '0..*'),
    attr('ehr_access', 'OBJECT_REF', '1'),
    attr('ehr_status', 'OBJECT_REF', '1'),
    attr('directory', 'OBJECT_REF', '0..1'),
    attr('compositions', 'OBJECT_REF', '0..*'),
    attr('folders', 'OBJECT_REF', '0..*'),
  ]),
  concrete('EHR_ACCESS', 'LOCATABLE', [attr('settings', 'ACCESS_CONTROL_SETTINGS', '0..1')]),
  // the RM defines no concrete settings class; a CDR that needs one defines its own
  abstract('ACCESS_CONTROL_SETTINGS', undefined),
  concrete('EHR_STATUS', 'LOCATABLE', [
    attr('subject', 'PARTY_SELF', '1'),
    attr('is_queryable', 'Boolean', '1'),
    attr('is_modifiable', 'Boolean', '1'),
    attr('other_details', 'ITEM_STRUCTURE', '0..1'),
  ]),

  // composition: a composition is always an archetype root, so it carries archetype_details
  concrete('COMPOSITION', 'LOCATABLE', [
    attr('archetype_details', 'ARCHETYPED', '1'),
    attr('language', 'CODE_PHRASE', '1'),
    attr('territory', 'CODE_PHRASE', '1'),
    attr('category', 'DV_CODED_TEXT', '1'),
    attr('composer', 'PARTY_PROXY', '1'),
    attr('context', 'EVENT_CONTEXT', '0..1'),
    attr('content', 'CONTENT_ITEM', '0..*'),
  ]),
  concrete('EVENT_CONTEXT', undefined, [
    attr('start_time', 'DV_DATE_TIME', '1'),
    attr('end_time', 'DV_DATE_TIME', '0..1'),
    attr('location', 'String', '0..1'),
    attr('setting', 'DV_CODED_TEXT', '1'),
    attr('other_context', 'ITEM_STRUCTURE', '0..1'),
    attr('health_care_facility', 'PARTY_IDENTIFIED', '0..1'),
    attr('participations', 'PARTICIPATION', '0..*'),
  ]),

  // content
  abstract('CONTENT_ITEM', 'LOCATABLE'),
  concrete('SECTION', 'CONTENT_ITEM', [attr('items', 'CONTENT_ITEM', '0..*')]),
  concrete('GENERIC_ENTRY', 'CONTENT_ITEM', [attr('data', 'ITEM_TREE', '1')]),
  abstract('ENTRY', 'CONTENT_ITEM', [
    attr('language', 'CODE_PHRASE', '1'),
    attr('encoding', 'CODE_PHRASE', '1'),
    attr('subject', 'PARTY_PROXY', '1'),
    attr('provider', 'PARTY_PROXY', '0..1'),
    attr('other_participations', 'PARTICIPATION', '0..*'),
    // RM 1.1.0 spelling in JSON; the XML schema keeps the 1.0.2 element name
    attr('workflow_id', 'OBJECT_REF', '0..1', { xmlName: 'work_flow_id' }),
  ]),
  concrete('ADMIN_ENTRY', 'ENTRY', [attr('data', 'ITEM_STRUCTURE', '1')]),
  abstract('CARE_ENTRY', 'ENTRY', [attr('protocol', 'ITEM_STRUCTURE', '0..1'), attr('guideline_id', 'OBJECT_REF', '0..1')]),
  concrete('OBSERVATION', 'CARE_ENTRY', [attr('data', 'HISTORY', '1'), attr('state', 'HISTORY', '0..1')]),
  concrete('EVALUATION', 'CARE_ENTRY', [attr('data', 'ITEM_STRUCTURE', '1')]),
  concrete('INSTRUCTION', 'CARE_ENTRY', [
    attr('narrative', 'DV_TEXT', '1'),
    attr('expiry_time', 'DV_DATE_TIME', '0..1'),
    attr('wf_definition', 'DV_PARSABLE', '0..1'),
    attr('activities', 'ACTIVITY', '0..*'),
  ]),
  concrete('ACTIVITY', 'LOCATABLE', [
    attr('description', 'ITEM_STRUCTURE', '1'),
    attr('timing', 'DV_PARSABLE', '0..1'),
    attr('action_archetype_id', 'String', '1'),
  ]),
  concrete('ACTION', 'CARE_ENTRY', [
    attr('time', 'DV_DATE_TIME', '1'),
    attr('description', 'ITEM_STRUCTURE', '1'),
    attr('ism_transition', 'ISM_TRANSITION', '1'),
    attr('instruction_details', 'INSTRUCTION_DETAILS', '0..1'),
  ]),
  concrete('INSTRUCTION_DETAILS', undefined, [
    attr('instruction_id', 'LOCATABLE_REF', '1'),
    attr('activity_id', 'String', '1'),
    attr('wf_details', 'ITEM_STRUCTURE', '0..1'),
  ]),
  concrete('ISM_TRANSITION', undefined, [
    attr('current_state', 'DV_CODED_TEXT', '1'),
    attr('transition', 'DV_CODED_TEXT', '0..1'),
    attr('careflow_step', 'DV_CODED_TEXT', '0..1'),
    attr('reason', 'DV_TEXT', '0..*'),
  ]),
];
