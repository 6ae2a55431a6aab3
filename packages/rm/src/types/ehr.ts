/** Canonical JSON of the EHR package: EHR_STATUS, COMPOSITION, EVENT_CONTEXT and content items. */
import type { Locatable, Participation, PartyIdentified, PartyProxy, PartySelf } from './common.js';
import type { CodePhrase, DvCodedText, DvDateTime, DvParsable, DvText } from './data-values.js';
import type { LocatableRef, ObjectRef } from './identifiers.js';
import type { RmObject } from './json.js';
import type { History, ItemStructure, ItemTree } from './structures.js';

export interface EhrStatus extends Locatable {
  readonly _type?: 'EHR_STATUS';
  readonly subject: Omit<PartySelf, '_type'> & { readonly _type?: 'PARTY_SELF' };
  readonly is_queryable: boolean;
  readonly is_modifiable: boolean;
  readonly other_details?: ItemStructure;
}

export interface EventContext extends RmObject {
  readonly _type?: 'EVENT_CONTEXT';
  readonly start_time: DvDateTime;
  readonly end_time?: DvDateTime;
  readonly location?: string;
  readonly setting: DvCodedText;
  readonly other_context?: ItemStructure;
  readonly health_care_facility?: PartyIdentified;
  readonly participations?: readonly Participation[];
}

interface EntryBase extends Locatable {
  readonly language: CodePhrase;
  readonly encoding: CodePhrase;
  readonly subject: PartyProxy;
  readonly provider?: PartyProxy;
  readonly other_participations?: readonly Participation[];
  readonly workflow_id?: ObjectRef;
}
interface CareEntryBase extends EntryBase {
  readonly protocol?: ItemStructure;
  readonly guideline_id?: ObjectRef;
}

export interface Observation extends CareEntryBase {
  readonly _type: 'OBSERVATION';
  readonly data: History;
  readonly state?: History;
}
export interface Evaluation extends CareEntryBase {
  readonly _type: 'EVALUATION';
  readonly data: ItemStructure;
}
export interface Activity extends Locatable {
  readonly _type?: 'ACTIVITY';
  readonly description: ItemStructure;
  readonly timing?: DvParsable;
  readonly action_archetype_id: string;
}
export interface Instruction extends CareEntryBase {
  readonly _type: 'INSTRUCTION';
  readonly narrative: DvText;
  readonly expiry_time?: DvDateTime;
  readonly wf_definition?: DvParsable;
  readonly activities?: readonly Activity[];
}
export interface IsmTransition extends RmObject {
  readonly current_state: DvCodedText;
  readonly transition?: DvCodedText;
  readonly careflow_step?: DvCodedText;
  readonly reason?: readonly DvText[];
}
export interface InstructionDetails extends RmObject {
  readonly instruction_id: LocatableRef;
  readonly activity_id: string;
  readonly wf_details?: ItemStructure;
}
export interface Action extends CareEntryBase {
  readonly _type: 'ACTION';
  readonly time: DvDateTime;
  readonly description: ItemStructure;
  readonly ism_transition: IsmTransition;
  readonly instruction_details?: InstructionDetails;
}
export interface AdminEntry extends EntryBase {
  readonly _type: 'ADMIN_ENTRY';
  readonly data: ItemStructure;
}
export interface GenericEntry extends Locatable {
  readonly _type: 'GENERIC_ENTRY';
  readonly data: ItemTree;
}
export interface Section extends Locatable {
  readonly _type: 'SECTION';
  readonly items?: readonly ContentItem[];
}

/** CONTENT_ITEM is abstract: its canonical JSON always carries `_type`. */
export type ContentItem = Section | Observation | Evaluation | Instruction | Action | AdminEntry | GenericEntry;

export interface Composition extends Locatable {
  readonly _type?: 'COMPOSITION';
  readonly archetype_details: NonNullable<Locatable['archetype_details']>;
  readonly language: CodePhrase;
  readonly territory: CodePhrase;
  readonly category: DvCodedText;
  readonly composer: PartyProxy;
  readonly context?: EventContext;
  readonly content?: readonly ContentItem[];
}
