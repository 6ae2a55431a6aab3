/**
 * A template description: which archetypes a template uses, which of their nodes it keeps,
 * how it narrows them and which archetypes fill their slots. Read from `templates/src/*.yml`:
 *
 * ```yaml
 * template_id: cdr.vital_signs.v1
 * concept: Vital signs
 * purpose: ...
 * root:
 *   archetype: openEHR-EHR-COMPOSITION.encounter.v1
 *   keep: [/context]
 *   fill:
 *     /content:                           # an attribute, or the path of a slot
 *       - archetype: openEHR-EHR-OBSERVATION.blood_pressure.v2
 *         occurrences: 0..1
 *         keep:                           # these nodes (with everything below them) and their ancestors
 *           - /data[at0001]/events[at0006]/data[at0003]/items[at0004]
 *         drop: [...]                     # nodes removed from what `keep` kept
 *         constrain:
 *           /data[at0001]/events[at0006]/data[at0003]/items[at0004]: { occurrences: 1..1 }
 * ```
 */
import type { Interval } from '../opt/model.js';
import type { ValueConstraint } from './facts.js';
import { readValueAlternatives, Source } from './facts.js';
import { integerBound, parseInterval } from './intervals.js';

export interface Narrowing {
  readonly where: string;
  readonly occurrences?: Interval<number>;
  /** Existence of the attribute that holds the node. */
  readonly existence?: Interval<number>;
  /** Replaces an ELEMENT's value alternatives; each must conform to one of the archetype's. */
  readonly value?: readonly ValueConstraint[];
  /** Keeps only these units of a DV_QUANTITY value. */
  readonly units?: readonly string[];
  /** Keeps only these codes of a coded value. */
  readonly codes?: readonly string[];
}

export interface ArchetypeUse {
  readonly archetypeId: string;
  readonly where: string;
  readonly occurrences?: Interval<number>;
  /** Archetype paths kept with their subtrees; missing keeps every node. */
  readonly keep?: readonly string[];
  readonly drop: readonly string[];
  readonly constrain: ReadonlyMap<string, Narrowing>;
  /** Slot path or attribute path -> archetypes placed there. */
  readonly fill: ReadonlyMap<string, readonly ArchetypeUse[]>;
  /** Why this archetype fills a slot whose include patterns do not name it. */
  readonly outsideSlot?: string;
}

export interface TemplateSpec {
  readonly templateId: string;
  readonly concept: string;
  readonly language: string;
  readonly purpose: string;
  readonly use?: string;
  readonly misuse?: string;
  readonly keywords: readonly string[];
  readonly author: Readonly<Record<string, string>>;
  readonly lifecycleState: string;
  readonly root: ArchetypeUse;
}

const TOP_LEVEL = new Set(['template_id', 'concept', 'language', 'purpose', 'use', 'misuse', 'keywords', 'author', 'lifecycle_state', 'root']);
const USE_KEYS = new Set(['archetype', 'occurrences', 'keep', 'drop', 'constrain', 'fill', 'outside_slot']);
const NARROWING_KEYS = new Set(['occurrences', 'existence', 'value', 'units', 'codes']);
const TEMPLATE_ID = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.v\d+$/;

function readUse(source: Source): ArchetypeUse {
  source.onlyKeys(USE_KEYS);
  const body = source.record();
  const constrain = new Map<string, Narrowing>();
  for (const [path, spec] of source.child('constrain').entries()) {
    spec.onlyKeys(NARROWING_KEYS);
    const n = spec.record();
    constrain.set(path, {
      where: spec.where,
      ...(n.occurrences !== undefined ? { occurrences: parseInterval(n.occurrences, integerBound, `${spec.where}.occurrences`) } : {}),
      ...(n.existence !== undefined ? { existence: parseInterval(n.existence, integerBound, `${spec.where}.existence`) } : {}),
      ...(n.value !== undefined ? { value: readValueAlternatives(spec.child('value'), undefined) } : {}),
      ...(n.units !== undefined ? { units: spec.child('units').list().map((u) => u.string()) } : {}),
      ...(n.codes !== undefined ? { codes: spec.child('codes').list().map((c) => c.string()) } : {}),
    });
  }
  const fill = new Map<string, ArchetypeUse[]>();
  for (const [path, uses] of source.child('fill').entries()) {
    fill.set(path, uses.list().map(readUse));
  }
  const outsideSlot = source.child('outside_slot').optionalString();
  return {
    archetypeId: source.child('archetype').string(),
    where: source.where,
    ...(body.occurrences !== undefined ? { occurrences: parseInterval(body.occurrences, integerBound, `${source.where}.occurrences`) } : {}),
    ...(body.keep !== undefined ? { keep: source.child('keep').list().map((p) => p.string()) } : {}),
    drop: source.child('drop').list().map((p) => p.string()),
    constrain,
    fill,
    ...(outsideSlot ? { outsideSlot } : {}),
  };
}

/** Reads one template description (already parsed from YAML); `where` names the file. */
export function readTemplateSpec(document: unknown, where: string): TemplateSpec {
  const source = new Source(document, where);
  source.onlyKeys(TOP_LEVEL);
  const templateId = source.child('template_id').string();
  if (!TEMPLATE_ID.test(templateId)) {
    source.fail(`template id '${templateId}' does not follow the scheme <namespace>.<name>.v<major>, e.g. cdr.vital_signs.v1`);
  }
  const author: Record<string, string> = {};
  for (const [key, value] of source.child('author').entries()) {
    author[key] = value.string();
  }
  const use = source.child('use').optionalString();
  const misuse = source.child('misuse').optionalString();
  return {
    templateId,
    concept: source.child('concept').string(),
    language: source.child('language').optionalString() ?? 'en',
    purpose: source.child('purpose').string(),
    ...(use ? { use } : {}),
    ...(misuse ? { misuse } : {}),
    keywords: source.child('keywords').list().map((k) => k.string()),
    author,
    lifecycleState: source.child('lifecycle_state').optionalString() ?? 'in_development',
    root: readUse(source.child('root')),
  };
}
