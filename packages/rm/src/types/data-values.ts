/** Canonical JSON of the data values a CDR reads and writes most. */
import type { TerminologyId } from './identifiers.js';
import type { RmObject } from './json.js';

export interface CodePhrase extends RmObject {
  readonly _type?: 'CODE_PHRASE';
  readonly terminology_id: TerminologyId;
  readonly code_string: string;
  readonly preferred_term?: string;
}

export interface TermMapping extends RmObject {
  readonly match: string;
  readonly purpose?: DvCodedText;
  readonly target: CodePhrase;
}

export interface DvUri extends RmObject {
  readonly _type?: 'DV_URI' | 'DV_EHR_URI';
  readonly value: string;
}

export interface DvText extends RmObject {
  readonly _type?: 'DV_TEXT' | 'DV_CODED_TEXT';
  readonly value: string;
  readonly hyperlink?: DvUri;
  readonly formatting?: string;
  readonly mappings?: readonly TermMapping[];
  readonly language?: CodePhrase;
  readonly encoding?: CodePhrase;
}

export interface DvCodedText extends DvText {
  readonly _type?: 'DV_CODED_TEXT';
  readonly defining_code: CodePhrase;
}

export interface DvBoolean extends RmObject {
  readonly _type: 'DV_BOOLEAN';
  readonly value: boolean;
}

export interface DvIdentifier extends RmObject {
  readonly _type?: 'DV_IDENTIFIER';
  readonly issuer?: string;
  readonly assigner?: string;
  readonly id: string;
  readonly type?: string;
}

interface DvOrdered extends RmObject {
  readonly normal_range?: DvInterval;
  readonly normal_status?: CodePhrase;
}

export interface DvInterval extends RmObject {
  readonly _type?: string;
  readonly lower?: DvOrdered;
  readonly upper?: DvOrdered;
  readonly lower_included?: boolean;
  readonly upper_included?: boolean;
  readonly lower_unbounded: boolean;
  readonly upper_unbounded: boolean;
}

export interface DvQuantity extends DvOrdered {
  readonly _type: 'DV_QUANTITY';
  readonly magnitude: number;
  readonly units: string;
  readonly precision?: number;
  readonly units_system?: string;
  readonly units_display_name?: string;
}

export interface DvCount extends DvOrdered {
  readonly _type: 'DV_COUNT';
  readonly magnitude: number;
}

export interface DvProportion extends DvOrdered {
  readonly _type: 'DV_PROPORTION';
  readonly numerator: number;
  readonly denominator: number;
  /** PROPORTION_KIND: 0 ratio, 1 unitary, 2 percent, 3 fraction, 4 integer fraction. */
  readonly type: number;
  readonly precision?: number;
}

export interface DvOrdinal extends DvOrdered {
  readonly _type: 'DV_ORDINAL';
  readonly value: number;
  readonly symbol: DvCodedText;
}

export interface DvScale extends DvOrdered {
  readonly _type: 'DV_SCALE';
  readonly value: number;
  readonly symbol: DvCodedText;
}

export interface DvDuration extends DvOrdered {
  readonly _type?: 'DV_DURATION';
  /** ISO 8601 duration, e.g. `PT30M`. */
  readonly value: string;
}

interface DvTemporal extends DvOrdered {
  readonly accuracy?: DvDuration;
  /** ISO 8601, extended or basic form. */
  readonly value: string;
}

export interface DvDateTime extends DvTemporal {
  readonly _type?: 'DV_DATE_TIME';
}
export interface DvDate extends DvTemporal {
  readonly _type?: 'DV_DATE';
}
export interface DvTime extends DvTemporal {
  readonly _type?: 'DV_TIME';
}

export interface DvParsable extends RmObject {
  readonly _type?: 'DV_PARSABLE';
  readonly value: string;
  readonly formalism: string;
}

export interface DvMultimedia extends RmObject {
  readonly _type: 'DV_MULTIMEDIA';
  readonly alternate_text?: string;
  readonly uri?: DvUri;
  /** base64 */
  readonly data?: string;
  readonly media_type: CodePhrase;
  readonly size: number;
}

/** The data values an ELEMENT can hold (those the types above describe; others are plain RmObjects). */
export type DataValue =
  | (DvText & { readonly _type: 'DV_TEXT' })
  | (DvCodedText & { readonly _type: 'DV_CODED_TEXT' })
  | DvBoolean
  | (DvIdentifier & { readonly _type: 'DV_IDENTIFIER' })
  | DvQuantity
  | DvCount
  | DvProportion
  | DvOrdinal
  | DvScale
  | (DvDateTime & { readonly _type: 'DV_DATE_TIME' })
  | (DvDate & { readonly _type: 'DV_DATE' })
  | (DvTime & { readonly _type: 'DV_TIME' })
  | (DvDuration & { readonly _type: 'DV_DURATION' })
  | (DvInterval & { readonly _type: string })
  | (DvParsable & { readonly _type: 'DV_PARSABLE' })
  | DvMultimedia
  | (DvUri & { readonly _type: 'DV_URI' | 'DV_EHR_URI' });

export interface DvEhrUri extends DvUri {
  readonly _type?: 'DV_EHR_URI';
}
