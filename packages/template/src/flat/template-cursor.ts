/**
 * Follows web template steps through the operational template to learn the RM type and
 * default name of each object a FLAT path passes through (histories, item trees,
 * elements the web template leaves out), and creates those objects.
 */
import { resolveInternalRef } from '../opt/internal-refs.js';
import type { CArchetypeRoot, CObject, OperationalTemplate } from '../opt/model.js';
import { isComplex } from '../opt/model.js';
import { constrainedNameCodes, constrainedTextNames, defaultNodeName, termText } from '../opt/node-names.js';
import { attribute as rmAttribute, baseTypeName, isLocatableType, isSubtypeOf, rmClass } from '../rm/rm-model.js';
import type { Step } from './aql-steps.js';

export interface Cursor {
  readonly object?: CObject;
  readonly archetype?: CArchetypeRoot;
}

const CONCRETE: Readonly<Record<string, string>> = {
  ITEM_STRUCTURE: 'ITEM_TREE',
  EVENT: 'POINT_EVENT',
  ITEM: 'ELEMENT',
  CONTENT_ITEM: 'SECTION',
  PARTY_PROXY: 'PARTY_SELF',
  DATA_STRUCTURE: 'ITEM_TREE',
};

function idOf(object: CObject): string {
  return object.kind === 'C_ARCHETYPE_ROOT' ? object.archetypeId : object.nodeId;
}

export class TemplateCursor {
  constructor(
    private readonly template: OperationalTemplate | undefined,
    private readonly language: string,
  ) {}

  root(): Cursor {
    return this.template ? { object: this.template.definition, archetype: this.template.definition } : {};
  }

  /** The constraint a step leads to from a cursor (undefined when the template does not say). */
  step(cursor: Cursor, step: Step, wantedType?: string): Cursor {
    const object = cursor.object;
    if (!object || !isComplex(object) || !cursor.archetype) {
      return {};
    }
    const attribute = object.attributes.find((a) => a.rmAttributeName === step.attribute);
    if (!attribute) {
      return {};
    }
    let candidates = attribute.children.filter((c) => c.kind !== 'C_PRIMITIVE_OBJECT');
    if (step.nodeId !== undefined) {
      candidates = candidates.filter((c) => idOf(c) === step.nodeId);
    }
    if (candidates.length > 1 && step.name !== undefined) {
      const named = candidates.filter((c) => constrainedTextNames(c).includes(step.name!));
      if (named.length > 0) {
        candidates = named;
      }
    }
    if (candidates.length > 1 && wantedType !== undefined) {
      const typed = candidates.filter((c) => c.rmTypeName === wantedType || isSubtypeOf(wantedType, c.rmTypeName));
      if (typed.length > 0) {
        candidates = typed;
      }
    }
    let next: CObject | undefined = candidates[0];
    if (next?.kind === 'ARCHETYPE_INTERNAL_REF') {
      next = resolveInternalRef(next, cursor.archetype, this.template?.definition);
    }
    if (!next) {
      return {};
    }
    return { object: next, archetype: next.kind === 'C_ARCHETYPE_ROOT' ? next : cursor.archetype };
  }

  /** The RM type to create for a step. */
  typeFor(cursor: Cursor, parentType: string, step: Step, wantedType?: string): string {
    const fromTemplate = cursor.object?.rmTypeName;
    if (wantedType && (!fromTemplate || isSubtypeOf(wantedType, fromTemplate) || baseTypeName(wantedType) === baseTypeName(fromTemplate))) {
      return wantedType;
    }
    if (fromTemplate && rmClass(fromTemplate) && !rmClass(fromTemplate)?.abstract) {
      return fromTemplate;
    }
    const declared = fromTemplate ?? rmAttribute(parentType, step.attribute)?.type ?? 'ELEMENT';
    return CONCRETE[baseTypeName(declared)] ?? declared;
  }

  /** The name an object created for a step gets. */
  nameFor(cursor: Cursor, step: Step): string {
    if (step.name !== undefined) {
      return step.name;
    }
    if (cursor.object && cursor.archetype) {
      const name = defaultNodeName(cursor.object, cursor.archetype, this.language) ?? defaultNodeName(cursor.object, cursor.archetype, this.template?.language ?? this.language);
      if (name !== undefined) {
        return name;
      }
    }
    return step.nodeId ?? step.attribute;
  }

  /** A coded name, when the template constrains the node's name to local codes. */
  codedName(cursor: Cursor, preferred: string): Record<string, unknown> | undefined {
    if (!cursor.object || !cursor.archetype) {
      return undefined;
    }
    const coded = constrainedNameCodes(cursor.object);
    if (!coded) {
      return undefined;
    }
    const terminology = coded.terminologyId ?? 'local';
    const text = (code: string): string => (terminology === 'local' ? (termText(cursor.archetype!, code, this.language) ?? code) : code);
    const own = cursor.object.kind === 'C_ARCHETYPE_ROOT' ? 'at0000' : cursor.object.nodeId;
    const code = coded.codes.find((c) => text(c) === preferred) ?? coded.codes[0] ?? own;
    if (coded.codes.length === 0) {
      return { _type: 'DV_CODED_TEXT', value: preferred, defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology }, code_string: code } };
    }
    return {
      _type: 'DV_CODED_TEXT',
      value: text(code),
      defining_code: { _type: 'CODE_PHRASE', terminology_id: { _type: 'TERMINOLOGY_ID', value: terminology }, code_string: code },
    };
  }

  isLocatable(type: string): boolean {
    return isLocatableType(type);
  }
}
