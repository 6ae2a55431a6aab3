/**
 * The web template: a simplified, UI- and FLAT-oriented view of an operational template,
 * in the JSON format EHRbase and Better serve (version 2.3).
 */

export type ComparisonOp = '>=' | '>' | '<=' | '<';

export interface WebTemplateInterval<T = number | string> {
  readonly min?: T;
  readonly minOp?: ComparisonOp;
  readonly max?: T;
  readonly maxOp?: ComparisonOp;
}

export interface WebTemplateValidation {
  readonly range?: WebTemplateInterval;
  readonly precision?: WebTemplateInterval<number>;
  readonly pattern?: string;
}

export interface WebTemplateTerm {
  readonly value: string;
  readonly terminologyId: string;
}

export interface WebTemplateInputValue {
  readonly value: string;
  readonly label?: string;
  readonly localizedLabels?: Readonly<Record<string, string>>;
  readonly localizedDescriptions?: Readonly<Record<string, string>>;
  readonly ordinal?: number;
  readonly validation?: WebTemplateValidation;
  readonly currentStates?: readonly string[];
  readonly termBindings?: Readonly<Record<string, WebTemplateTerm>>;
}

export type WebTemplateInputType = 'TEXT' | 'CODED_TEXT' | 'DECIMAL' | 'INTEGER' | 'BOOLEAN' | 'DATE' | 'TIME' | 'DATETIME' | 'DURATION';

export interface WebTemplateInput {
  readonly suffix?: string;
  readonly type: WebTemplateInputType | string;
  readonly list?: readonly WebTemplateInputValue[];
  readonly listOpen?: boolean;
  readonly validation?: WebTemplateValidation;
  readonly defaultValue?: string;
  readonly terminology?: string;
}

export interface WebTemplateCardinality {
  readonly min?: number;
  readonly max?: number;
  readonly ids: readonly string[];
}

export interface WebTemplateNode {
  readonly id: string;
  readonly name?: string;
  readonly localizedName?: string;
  readonly rmType: string;
  readonly nodeId?: string;
  readonly min: number;
  /** -1 for unbounded */
  readonly max: number;
  readonly dependsOn?: readonly string[];
  readonly localizedNames?: Readonly<Record<string, string>>;
  readonly localizedDescriptions?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly aqlPath: string;
  readonly inputs?: readonly WebTemplateInput[];
  readonly inContext?: boolean;
  readonly termBindings?: Readonly<Record<string, WebTemplateTerm>>;
  readonly proportionTypes?: readonly string[];
  readonly cardinalities?: readonly WebTemplateCardinality[];
  readonly children?: readonly WebTemplateNode[];
}

export interface WebTemplate {
  readonly templateId: string;
  readonly semVer?: string;
  readonly version: string;
  readonly defaultLanguage: string;
  readonly languages: readonly string[];
  readonly tree: WebTemplateNode;
}

export const WEB_TEMPLATE_VERSION = '2.3';
