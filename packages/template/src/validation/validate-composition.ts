/**
 * `validateComposition`: checks a canonical JSON composition against its operational
 * template and returns the problems found, each with an AQL-style path and a message
 * (an empty list means the composition conforms).
 */
import type { Issue } from '@cdr/rm';
import { resolveInternalRef } from '../opt/internal-refs.js';
import type { ArchetypeSlot, CArchetypeRoot, CAttribute, CCodePhrase, CComplex, CDvOrdinal, CDvQuantity, CObject, OperationalTemplate } from '../opt/model.js';
import { constrainedNameCodes, constrainedTextNames } from '../opt/node-names.js';
import { allAttributes, attribute as rmAttribute, baseTypeName, isKnownType, isLocatableType, isSubtypeOf, rmClass, typeParameter } from '../rm/rm-model.js';
import { checkDataValue } from './data-value-checks.js';
import { describeCount, describeInterval, inInterval, numeric } from './interval-check.js';
import { checkPrimitive } from './primitive-checks.js';

/** Answers whether a code exists in an external terminology; undefined when it cannot tell. */
export type TerminologyCheck = (terminologyId: string, code: string, valueSet?: string) => boolean | undefined;

export interface ValidationOptions {
  /** Checks codes of external terminologies and value sets; without it only the template's own code lists are checked. */
  readonly terminology?: TerminologyCheck;
  /** Stop after this many issues (default 1000). */
  readonly maxIssues?: number;
  /**
   * Check durations against C_DURATION patterns (`PTM`: minutes only). Off by default:
   * the pattern guides data entry in common tools, and data from EHRbase and Better
   * routinely carries other fields; ranges are always checked.
   */
  readonly enforceDurationPatterns?: boolean;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const PRIMITIVE_RM_TYPES = new Set(['String', 'Integer', 'Real', 'Boolean']);

function quoteName(name: string): string {
  return `'${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function nameValue(data: unknown): string | undefined {
  if (isObject(data) && isObject(data.name) && typeof data.name.value === 'string') {
    return data.name.value;
  }
  return undefined;
}

function nodeIdOf(object: CObject): string {
  return object.kind === 'C_ARCHETYPE_ROOT' ? object.archetypeId : object.nodeId;
}

/** Does an RM type name conform to a constraint's type name (subtypes and generics included)? */
export function conformsTo(actual: string, expected: string): boolean {
  if (actual === expected) {
    return true;
  }
  const actualBase = baseTypeName(actual);
  const expectedBase = baseTypeName(expected);
  if (!isSubtypeOf(actualBase, expectedBase) && actualBase !== expectedBase) {
    return false;
  }
  const expectedParameter = typeParameter(expected);
  const actualParameter = typeParameter(actual);
  return expectedParameter === undefined || actualParameter === undefined || conformsTo(actualParameter, expectedParameter);
}

class Validator {
  readonly issues: Issue[] = [];
  private readonly maxIssues: number;

  constructor(
    private readonly template: OperationalTemplate,
    private readonly options: ValidationOptions,
    /** The composition's language, for the English rubrics of the openEHR terminology. */
    private language?: string,
  ) {
    this.maxIssues = options.maxIssues ?? 1000;
  }

  report(path: string, message: string): void {
    if (this.issues.length < this.maxIssues) {
      this.issues.push({ path: path === '' ? '/' : path, message });
    }
  }

  validate(composition: unknown): void {
    const root = this.template.definition;
    if (!isObject(composition)) {
      this.report('/', `a composition must be a JSON object`);
      return;
    }
    const type = composition._type;
    if (type !== undefined && type !== root.rmTypeName) {
      this.report('/', `expected a ${root.rmTypeName}, found ${JSON.stringify(type)}`);
      return;
    }
    const language = isObject(composition.language) ? composition.language.code_string : undefined;
    this.language = typeof language === 'string' ? language : undefined;
    this.checkObject(composition, root, '', root, undefined);
  }

  checkObject(data: unknown, constraint: CObject, path: string, archetype: CArchetypeRoot, owner: { type: string; attribute: string } | undefined): void {
    switch (constraint.kind) {
      case 'ARCHETYPE_INTERNAL_REF': {
        const target = resolveInternalRef(constraint, archetype, this.template.definition);
        if (target) {
          this.checkObject(data, target, path, archetype, owner);
        }
        return;
      }
      case 'C_ARCHETYPE_ROOT':
      case 'C_COMPLEX_OBJECT':
        this.checkComplex(data, constraint, path, archetype, owner);
        return;
      case 'C_PRIMITIVE_OBJECT':
        if (owner?.type === 'ACTIVITY' && owner.attribute === 'action_archetype_id') {
          this.checkActionArchetypeId(data, constraint, path);
          return;
        }
        if (constraint.item) {
          const item = constraint.item.type === 'C_DURATION' && !this.options.enforceDurationPatterns ? { ...constraint.item, pattern: undefined } : constraint.item;
          const reason = checkPrimitive(data, item as typeof constraint.item);
          if (reason) {
            this.report(path, reason);
          }
        }
        return;
      case 'C_DV_QUANTITY':
        if (this.checkTyped(data, constraint.rmTypeName, path, owner)) {
          this.checkQuantity(data as Json, constraint, path);
        }
        return;
      case 'C_CODE_PHRASE':
        if (this.checkTyped(data, constraint.rmTypeName, path, owner)) {
          this.checkCodePhrase(data as Json, constraint, path, archetype);
        }
        return;
      case 'C_DV_ORDINAL':
      case 'C_DV_SCALE':
        if (this.checkTyped(data, constraint.rmTypeName, path, owner)) {
          this.checkOrdinal(data as Json, constraint, path);
        }
        return;
      case 'ARCHETYPE_SLOT':
        this.checkSlotFiller(data, constraint, path);
        this.checkRm(data, constraint.rmTypeName, path, owner);
        return;
      case 'CONSTRAINT_REF':
        this.checkRm(data, constraint.rmTypeName, path, owner);
        return;
    }
  }

  /**
   * ACTIVITY.action_archetype_id is itself a regular expression over ACTION archetype ids;
   * it conforms when it is the template's pattern, a value the pattern matches, or a
   * regular expression written ADL-style between slashes.
   */
  private checkActionArchetypeId(data: unknown, constraint: CObject & { kind: 'C_PRIMITIVE_OBJECT' }, path: string): void {
    const item = constraint.item;
    if (typeof data !== 'string') {
      this.report(path, 'expected a string');
      return;
    }
    if (item?.type !== 'C_STRING' || item.pattern === undefined || data === item.pattern || /^\/.*\/$/.test(data)) {
      return;
    }
    const reason = checkPrimitive(data, item);
    if (reason) {
      this.report(path, reason);
    }
  }

  /** Checks an object against the RM alone and says whether it is an object of a conforming type. */
  private checkTyped(data: unknown, expected: string, path: string, owner: { type: string; attribute: string } | undefined): boolean {
    if (!isObject(data)) {
      this.report(path, `expected a ${expected} object, found ${JSON.stringify(data)}`);
      return false;
    }
    const before = this.issues.length;
    this.checkRm(data, expected, path, owner);
    return this.issues.length === before || typeof data._type !== 'string' || conformsTo(data._type, expected);
  }

  private checkComplex(data: unknown, constraint: CComplex, path: string, archetype: CArchetypeRoot, owner: { type: string; attribute: string } | undefined): void {
    if (!isObject(data)) {
      this.report(path, `expected a ${constraint.rmTypeName} object, found ${JSON.stringify(data)}`);
      return;
    }
    const declared = typeof data._type === 'string' ? data._type : undefined;
    if (declared !== undefined) {
      if (!isKnownType(declared)) {
        this.report(path, `'${declared}' is not an RM type`);
        return;
      }
      if (!conformsTo(declared, constraint.rmTypeName)) {
        this.report(path, `expected a ${constraint.rmTypeName} but got ${declared}`);
        return;
      }
    } else if (rmClass(constraint.rmTypeName)?.abstract) {
      this.report(path, `the RM type is missing: a concrete subtype of ${constraint.rmTypeName} must be named in _type`);
      return;
    }
    const type = declared ?? constraint.rmTypeName;
    const inner = constraint.kind === 'C_ARCHETYPE_ROOT' ? constraint : archetype;
    if (isLocatableType(type)) {
      const expected = nodeIdOf(constraint);
      if (expected && data.archetype_node_id !== expected) {
        this.report(`${path}/archetype_node_id`, `expected archetype_node_id '${expected}', found ${JSON.stringify(data.archetype_node_id)}`);
      }
    }
    const constrained = new Set<string>();
    for (const attribute of constraint.attributes) {
      constrained.add(attribute.rmAttributeName);
      this.checkAttribute(data, type, attribute, path, inner);
    }
    this.checkUnconstrained(data, type, constrained, path, owner);
    if (isSubtypeOf(type, 'DV_CODED_TEXT')) {
      this.checkCodedTextValue(data, constraint, path, inner);
    }
  }

  private attributePath(path: string, name: string, item: unknown, siblings: readonly unknown[]): string {
    if (!isObject(item) || typeof item.archetype_node_id !== 'string') {
      return `${path}/${name}`;
    }
    const id = item.archetype_node_id;
    const shared = siblings.filter((s) => isObject(s) && s.archetype_node_id === id).length > 1;
    const itemName = nameValue(item);
    return shared && itemName !== undefined ? `${path}/${name}[${id},${quoteName(itemName)}]` : `${path}/${name}[${id}]`;
  }

  private checkAttribute(data: Json, type: string, attribute: CAttribute, path: string, archetype: CArchetypeRoot): void {
    const name = attribute.rmAttributeName;
    const value = data[name];
    const rm = rmAttribute(type, name);
    const owner = { type: baseTypeName(type), attribute: name };
    const missing = value === undefined || value === null || (Array.isArray(value) && value.length === 0);
    if (!rm && isKnownType(type)) {
      this.checkComputed(data, type, attribute, path);
      return;
    }
    if (missing) {
      const mandatoryChild = attribute.children.find((c) => (c.occurrences.lower ?? 0) > 0);
      if ((attribute.existence.lower ?? 0) > 0) {
        this.report(`${path}/${name}`, `${name} is mandatory in the template but missing`);
      } else if (rm?.mandatory && !rm.multiple) {
        this.report(`${path}/${name}`, `${name} is mandatory in the RM but missing`);
      } else if (attribute.kind === 'C_MULTIPLE_ATTRIBUTE' && (attribute.cardinality.interval.lower ?? 0) > 0) {
        this.report(`${path}/${name}`, `${name} needs at least ${attribute.cardinality.interval.lower} item(s) but has none`);
      } else if (attribute.kind === 'C_MULTIPLE_ATTRIBUTE' && mandatoryChild && value !== undefined) {
        this.report(`${path}/${name}`, `the mandatory node ${nodeIdOf(mandatoryChild)} is missing`);
      }
      if (attribute.kind === 'C_MULTIPLE_ATTRIBUTE' && value === undefined && (attribute.existence.lower ?? 0) === 0) {
        for (const child of attribute.children) {
          if ((child.occurrences.lower ?? 0) > 0 && (attribute.cardinality.interval.lower ?? 0) === 0 && !rm?.mandatory) {
            this.report(`${path}/${name}[${nodeIdOf(child)}]`, `the template requires ${this.describeNode(child, archetype)} (occurrences ${describeCount(child.occurrences)}) but it is missing`);
          }
        }
      }
      return;
    }
    if (attribute.kind === 'C_MULTIPLE_ATTRIBUTE' || Array.isArray(value)) {
      if (!Array.isArray(value)) {
        this.report(`${path}/${name}`, `${name} must be a list`);
        return;
      }
      if (attribute.kind !== 'C_MULTIPLE_ATTRIBUTE') {
        this.report(`${path}/${name}`, `${name} holds a single value, not a list`);
        return;
      }
      this.checkMultiple(value, attribute, path, archetype, owner);
      return;
    }
    if (rm?.multiple) {
      this.report(`${path}/${name}`, `${name} must be a list`);
      return;
    }
    const childPath = this.attributePath(path, name, value, [value]);
    if (attribute.children.length === 0) {
      this.checkRm(value, rm?.type ?? 'ANY', childPath, owner);
      return;
    }
    const chosen = this.chooseAlternative(value, attribute.children, archetype);
    if (!chosen) {
      this.report(childPath, this.explainNoMatch(value, attribute.children, archetype));
      return;
    }
    this.checkObject(value, chosen, childPath, archetype, owner);
  }

  /**
   * Templates may constrain RM functions such as DV_PROPORTION.is_integral or EVENT.offset;
   * data does not carry them. is_integral is computed from the proportion and checked;
   * others are not data and are skipped.
   */
  private checkComputed(data: Json, type: string, attribute: CAttribute, path: string): void {
    if (baseTypeName(type) !== 'DV_PROPORTION' || attribute.rmAttributeName !== 'is_integral') {
      return;
    }
    const integral = Number.isInteger(data.numerator) && Number.isInteger(data.denominator);
    for (const child of attribute.children) {
      if (child.kind === 'C_PRIMITIVE_OBJECT' && child.item?.type === 'C_BOOLEAN') {
        if ((integral && !child.item.trueValid) || (!integral && !child.item.falseValid)) {
          this.report(path, integral ? 'the template requires a proportion with a non-integral numerator or denominator' : 'the template requires an integral numerator and denominator');
        }
      }
    }
  }

  private checkMultiple(items: unknown[], attribute: CAttribute & { kind: 'C_MULTIPLE_ATTRIBUTE' }, path: string, archetype: CArchetypeRoot, owner: { type: string; attribute: string }): void {
    const name = attribute.rmAttributeName;
    const cardinality = attribute.cardinality.interval;
    if (!inInterval(items.length, cardinality, numeric)) {
      this.report(`${path}/${name}`, `${name} has ${items.length} item(s); the template allows ${describeCount(cardinality)}`);
    }
    const counts = new Map<CObject, number>();
    for (const item of items) {
      const itemPath = this.attributePath(path, name, item, items);
      if (attribute.children.length === 0) {
        this.checkRm(item, rmAttribute(owner.type, name)?.type ?? 'ANY', itemPath, owner);
        continue;
      }
      const chosen = this.chooseAlternative(item, attribute.children, archetype);
      if (!chosen) {
        this.report(itemPath, this.explainNoMatch(item, attribute.children, archetype));
        continue;
      }
      counts.set(chosen, (counts.get(chosen) ?? 0) + 1);
      this.checkObject(item, chosen, itemPath, archetype, owner);
    }
    for (const child of attribute.children) {
      const count = counts.get(child) ?? 0;
      if (!inInterval(count, child.occurrences, numeric)) {
        const id = nodeIdOf(child);
        const where = id ? `${path}/${name}[${id}]` : `${path}/${name}`;
        const what = this.describeNode(child, archetype);
        this.report(
          where,
          count < (child.occurrences.lower ?? 0)
            ? `the template requires ${what} (occurrences ${describeCount(child.occurrences)}) but ${count === 0 ? 'it is missing' : `found ${count}`}`
            : `${what} occurs ${count} times; the template allows ${describeCount(child.occurrences)}`,
        );
      }
    }
  }

  private describeNode(object: CObject, archetype: CArchetypeRoot): string {
    const id = nodeIdOf(object);
    const owner = object.kind === 'C_ARCHETYPE_ROOT' ? object : archetype;
    const code = object.kind === 'C_ARCHETYPE_ROOT' ? 'at0000' : object.nodeId;
    const text = constrainedTextNames(object)[0] ?? (code ? (owner.termDefinitions[this.template.language]?.[code]?.text ?? Object.values(owner.termDefinitions)[0]?.[code]?.text) : undefined);
    if (!id) {
      return `a ${object.rmTypeName}`;
    }
    return text ? `'${text}' (${object.rmTypeName} ${id})` : `${object.rmTypeName} ${id}`;
  }

  /** The constraint an item of data answers to, among an attribute's alternatives. */
  private chooseAlternative(item: unknown, alternatives: readonly CObject[], archetype: CArchetypeRoot): CObject | undefined {
    const itemType = isObject(item) && typeof item._type === 'string' ? item._type : undefined;
    const itemNodeId = isObject(item) && typeof item.archetype_node_id === 'string' ? item.archetype_node_id : undefined;
    const typeOk = (c: CObject): boolean => {
      const target = c.kind === 'ARCHETYPE_INTERNAL_REF' ? c.rmTypeName : c.rmTypeName;
      if (c.kind === 'C_PRIMITIVE_OBJECT') {
        return !isObject(item);
      }
      return itemType === undefined || !isKnownType(itemType) || conformsTo(itemType, target);
    };
    const exact = alternatives.filter((c) => c.kind !== 'ARCHETYPE_SLOT' && (itemNodeId === undefined || !nodeIdOf(c) || !isLocatableType(c.rmTypeName) ? true : nodeIdOf(c) === itemNodeId));
    let candidates = exact.filter((c) => {
      if (itemNodeId !== undefined && isLocatableType(c.rmTypeName) && nodeIdOf(c) && nodeIdOf(c) !== itemNodeId) {
        return false;
      }
      return typeOk(c);
    });
    if (itemNodeId !== undefined) {
      const byId = candidates.filter((c) => nodeIdOf(c) === itemNodeId);
      if (byId.length > 0) {
        candidates = byId;
      }
    }
    if (candidates.length > 1 && nameValue(item) !== undefined) {
      const name = nameValue(item);
      const byName = candidates.filter((c) => name !== undefined && this.nameMatches(c, item));
      const unnamed = candidates.filter((c) => constrainedTextNames(c).length === 0 && constrainedNameCodes(c) === undefined);
      candidates = byName.length > 0 ? byName : unnamed.length > 0 ? unnamed : candidates;
    }
    if (candidates.length === 0 && itemType !== undefined && !isKnownType(itemType)) {
      return undefined;
    }
    if (candidates.length === 1) {
      return candidates[0];
    }
    if (candidates.length > 1) {
      return this.bestFit(item, candidates, archetype);
    }
    return alternatives.find((c): c is ArchetypeSlot => c.kind === 'ARCHETYPE_SLOT' && typeOk(c) && this.slotAccepts(c, itemNodeId));
  }

  /** Among several fitting alternatives, the one the item breaks least (first on a tie). */
  private bestFit(item: unknown, candidates: readonly CObject[], archetype: CArchetypeRoot): CObject {
    let best = candidates[0]!;
    let fewest = Infinity;
    for (const candidate of candidates) {
      const trial = new Validator(this.template, { ...this.options, maxIssues: fewest === Infinity ? 50 : fewest }, this.language);
      trial.checkObject(item, candidate, '', archetype, undefined);
      if (trial.issues.length < fewest) {
        fewest = trial.issues.length;
        best = candidate;
        if (fewest === 0) {
          break;
        }
      }
    }
    return best;
  }

  private nameMatches(constraint: CObject, item: unknown): boolean {
    const name = nameValue(item);
    if (name === undefined) {
      return false;
    }
    if (constrainedTextNames(constraint).includes(name)) {
      return true;
    }
    const coded = constrainedNameCodes(constraint);
    if (coded && isObject(item) && isObject(item.name) && isObject(item.name.defining_code)) {
      return coded.codes.includes(String(item.name.defining_code.code_string));
    }
    return false;
  }

  private explainNoMatch(item: unknown, alternatives: readonly CObject[], archetype: CArchetypeRoot): string {
    const itemType = isObject(item) && typeof item._type === 'string' ? item._type : undefined;
    const itemNodeId = isObject(item) && typeof item.archetype_node_id === 'string' ? item.archetype_node_id : undefined;
    if (itemType !== undefined && !isKnownType(itemType)) {
      return `'${itemType}' is not an RM type`;
    }
    if (itemNodeId !== undefined && alternatives.some((c) => isLocatableType(c.rmTypeName) || c.kind === 'ARCHETYPE_SLOT')) {
      const sameId = alternatives.filter((c) => nodeIdOf(c) === itemNodeId);
      if (sameId.length > 0 && itemType !== undefined) {
        return `expected a ${sameId.map((c) => c.rmTypeName).join(' or ')} but got ${itemType}`;
      }
      const allowed = alternatives.map((c) => (c.kind === 'ARCHETYPE_SLOT' ? `a slot for ${c.rmTypeName}` : this.describeNode(c, archetype)));
      return `the template has no node '${itemNodeId}' here; it allows ${allowed.join(', ')}`;
    }
    const allowed = [...new Set(alternatives.map((c) => c.rmTypeName))];
    return `expected a ${allowed.join(' or ')}${itemType ? ` but got ${itemType}` : `, found ${JSON.stringify(item)?.slice(0, 60)}`}`;
  }

  private slotAccepts(slot: ArchetypeSlot, archetypeId: string | undefined): boolean {
    if (archetypeId === undefined) {
      return false;
    }
    const matches = (pattern: string | undefined): boolean => {
      if (pattern === undefined) {
        return false;
      }
      try {
        return new RegExp(`^(?:${pattern})$`).test(archetypeId);
      } catch {
        return false;
      }
    };
    const included = slot.includes.length === 0 || slot.includes.some((a) => a.archetypeIdPattern === undefined || matches(a.archetypeIdPattern));
    const excluded = slot.excludes.some((a) => a.archetypeIdPattern !== undefined && a.archetypeIdPattern !== '.*' && matches(a.archetypeIdPattern));
    return included && !excluded;
  }

  private checkSlotFiller(data: unknown, slot: ArchetypeSlot, path: string): void {
    const id = isObject(data) && typeof data.archetype_node_id === 'string' ? data.archetype_node_id : undefined;
    if (!this.slotAccepts(slot, id)) {
      this.report(path, `archetype '${String(id)}' is not allowed in this slot`);
    }
  }

  /** RM attributes the template does not constrain: RM rules only. */
  private checkUnconstrained(data: Json, type: string, constrained: ReadonlySet<string>, path: string, owner: { type: string; attribute: string } | undefined): void {
    const base = baseTypeName(type);
    for (const attribute of allAttributes(base)) {
      if (constrained.has(attribute.name)) {
        continue;
      }
      const value = data[attribute.name];
      const missing = value === undefined || value === null;
      if (missing) {
        if (attribute.mandatory && !attribute.multiple && !this.tolerated(base, attribute.name)) {
          this.report(`${path}/${attribute.name}`, `${attribute.name} is mandatory in the RM but missing`);
        }
        continue;
      }
      const attributeOwner = { type: base, attribute: attribute.name };
      if (attribute.multiple) {
        if (!Array.isArray(value)) {
          this.report(`${path}/${attribute.name}`, `${attribute.name} must be a list`);
          continue;
        }
        for (const item of value) {
          this.checkRm(item, attribute.type, this.attributePath(path, attribute.name, item, value), attributeOwner);
        }
      } else {
        this.checkRm(value, attribute.type, this.attributePath(path, attribute.name, value, [value]), attributeOwner);
      }
    }
    if (base.startsWith('DV_') || base === 'CODE_PHRASE') {
      checkDataValue(data, type, owner, this.language, (relative, message) => this.report(`${path}${relative}`, message));
    }
  }

  /**
   * Attributes the RM calls mandatory that data written by common tools leaves out and that
   * can be derived: the interval flags (from the bounds), a multimedia size, a history origin.
   */
  private tolerated(type: string, attribute: string): boolean {
    if (type === 'DV_INTERVAL' && /^(lower|upper)_(included|unbounded)$/.test(attribute)) {
      return true;
    }
    return (type === 'DV_MULTIMEDIA' && attribute === 'size') || (type === 'HISTORY' && attribute === 'origin');
  }

  /** A value checked against the RM only (no template constraint applies). */
  private checkRm(value: unknown, declaredType: string, path: string, owner: { type: string; attribute: string } | undefined): void {
    if (PRIMITIVE_RM_TYPES.has(declaredType)) {
      const ok =
        (declaredType === 'String' && typeof value === 'string') ||
        (declaredType === 'Boolean' && typeof value === 'boolean') ||
        (declaredType === 'Integer' && typeof value === 'number' && Number.isInteger(value)) ||
        (declaredType === 'Real' && typeof value === 'number');
      if (!ok) {
        this.report(path, `expected ${declaredType === 'String' ? 'a string' : declaredType === 'Boolean' ? 'true or false' : declaredType === 'Integer' ? 'an integer' : 'a number'}, found ${JSON.stringify(value)}`);
      }
      return;
    }
    if (!isObject(value)) {
      this.report(path, `expected ${declaredType === 'ANY' ? 'an object' : `a ${declaredType} object`}, found ${JSON.stringify(value)?.slice(0, 60)}`);
      return;
    }
    const declared = typeof value._type === 'string' ? value._type : undefined;
    if (declared !== undefined && !isKnownType(declared)) {
      this.report(path, `'${declared}' is not an RM type`);
      return;
    }
    if (declared !== undefined && declaredType !== 'ANY' && !conformsTo(declared, declaredType)) {
      this.report(path, `expected a ${declaredType} but got ${declared}`);
      return;
    }
    const type = declared ?? declaredType;
    if (type === 'ANY' || !isKnownType(type)) {
      return;
    }
    if (declared === undefined && rmClass(type)?.abstract) {
      this.report(path, `the RM type is missing: a concrete subtype of ${type} must be named in _type`);
      return;
    }
    this.checkUnconstrained(value, type, new Set(), path, owner);
  }

  private checkQuantity(data: Json, constraint: CDvQuantity, path: string): void {
    const units = data.units;
    const magnitude = data.magnitude;
    if (constraint.property && isObject(data.property) && data.property.code_string !== undefined && data.property.code_string !== constraint.property.codeString) {
      this.report(`${path}/property`, `the quantity's property must be ${constraint.property.terminologyId}::${constraint.property.codeString}`);
    }
    if (constraint.list.length === 0) {
      return;
    }
    const item = constraint.list.find((i) => i.units === units);
    if (!item) {
      this.report(`${path}/units`, `units ${JSON.stringify(units)} are not allowed; the template allows ${constraint.list.map((i) => `'${i.units}'`).join(', ')}`);
      return;
    }
    if (item.magnitude && typeof magnitude === 'number' && !inInterval(magnitude, item.magnitude, numeric)) {
      this.report(`${path}/magnitude`, `${magnitude} ${item.units} is out of range: the template allows ${describeInterval(item.magnitude)}`);
    }
    if (item.precision && typeof data.precision === 'number' && !inInterval(data.precision, item.precision, numeric)) {
      this.report(`${path}/precision`, `precision ${data.precision} is not allowed: the template allows ${describeInterval(item.precision)}`);
    }
  }

  private checkCodePhrase(data: Json, constraint: CCodePhrase, path: string, archetype: CArchetypeRoot): void {
    const terminology = isObject(data.terminology_id) ? data.terminology_id.value : undefined;
    const code = data.code_string;
    if (typeof code !== 'string') {
      return;
    }
    const valueSet = constraint.referenceSetUri;
    const isValueSetUri = valueSet !== undefined && /^terminology:\/\//.test(valueSet);
    if (constraint.terminologyId !== undefined && !isValueSetUri && terminology !== constraint.terminologyId) {
      this.report(`${path}/terminology_id`, `the code must come from terminology '${constraint.terminologyId}', found ${JSON.stringify(terminology)}`);
      return;
    }
    if (constraint.codeList.length > 0 && !constraint.codeList.includes(code)) {
      this.report(`${path}/code_string`, `code '${code}' is not allowed here; the template allows ${constraint.codeList.map((c) => `'${c}'`).join(', ')}`);
      return;
    }
    if ((terminology === 'local' || constraint.terminologyId === 'local') && !Object.values(archetype.termDefinitions).some((terms) => terms[code] !== undefined) && constraint.codeList.length === 0) {
      this.report(`${path}/code_string`, `code '${code}' is not defined in ${archetype.archetypeId}`);
      return;
    }
    if (this.options.terminology && typeof terminology === 'string' && terminology !== 'local' && terminology !== 'openehr') {
      const known = this.options.terminology(terminology, code, valueSet);
      if (known === false) {
        this.report(`${path}/code_string`, `code '${code}' is not valid in ${valueSet ?? terminology}`);
      }
    }
  }

  private checkOrdinal(data: Json, constraint: CDvOrdinal, path: string): void {
    if (constraint.list.length === 0) {
      return;
    }
    const symbol = isObject(data.symbol) ? data.symbol : undefined;
    const code = isObject(symbol?.defining_code) ? symbol.defining_code.code_string : undefined;
    const item = constraint.list.find((i) => i.symbol.codeString === code);
    if (!item) {
      this.report(`${path}/symbol/defining_code/code_string`, `ordinal symbol ${JSON.stringify(code)} is not allowed; the template allows ${constraint.list.map((i) => `${i.value} (${i.symbol.codeString})`).join(', ')}`);
      return;
    }
    if (data.value !== item.value) {
      this.report(`${path}/value`, `ordinal value ${JSON.stringify(data.value)} does not match symbol ${item.symbol.codeString}, whose value is ${item.value}`);
    }
  }

  /** A DV_CODED_TEXT with a local code carries that code's term text (in one of the template's languages). */
  private checkCodedTextValue(data: Json, constraint: CComplex, path: string, archetype: CArchetypeRoot): void {
    const definingCode = isObject(data.defining_code) ? data.defining_code : undefined;
    const terminology = isObject(definingCode?.terminology_id) ? definingCode.terminology_id.value : undefined;
    const code = definingCode?.code_string;
    const constrainsCode = constraint.attributes.some((a) => a.rmAttributeName === 'defining_code' && a.children.some((c) => c.kind === 'C_CODE_PHRASE' && c.codeList.length > 0));
    if (terminology === 'local' && typeof code === 'string' && typeof data.value === 'string' && constrainsCode) {
      this.checkTermText(data.value, code, `${path}/value`, archetype);
    }
  }

  private checkTermText(value: string, code: string, path: string, archetype: CArchetypeRoot): void {
    const texts = Object.values(archetype.termDefinitions)
      .map((terms) => terms[code]?.text)
      .filter((t): t is string => t !== undefined);
    if (texts.length > 0 && !texts.includes(value)) {
      const expected = archetype.termDefinitions[this.language ?? '']?.[code]?.text ?? texts[0];
      this.report(path, `'${value}' is not the text of code ${code}; expected '${expected}'`);
    }
  }
}

/**
 * Checks a canonical JSON composition against a template. Returns the issues found; an
 * empty list means the composition conforms.
 */
export function validateComposition(template: OperationalTemplate, composition: unknown, options: ValidationOptions = {}): Issue[] {
  const validator = new Validator(template, options);
  validator.validate(composition);
  return validator.issues;
}


