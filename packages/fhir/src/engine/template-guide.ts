/**
 * What a template says about the nodes a FHIR write creates: their RM types, their names
 * (the name a template fixes, else the archetype's term text) and where an archetype sits in
 * the composition (so an entry goes into the section the template puts it in).
 */
import { resolveInternalRef } from '@cdr/template';
import type { CArchetypeRoot, CAttribute, CComplex, CObject, OperationalTemplate } from '@cdr/template';

export interface GuideNode {
  readonly object: CObject;
  /** The archetype root enclosing the object (the object itself for a root). */
  readonly archetype: CArchetypeRoot;
}

function isComplex(object: CObject): object is CComplex {
  return object.kind === 'C_COMPLEX_OBJECT' || object.kind === 'C_ARCHETYPE_ROOT';
}

function objectId(object: CObject): string {
  return object.kind === 'C_ARCHETYPE_ROOT' ? object.archetypeId : object.nodeId;
}

function attributeOf(object: CObject, name: string): CAttribute | undefined {
  return isComplex(object) ? object.attributes.find((a) => a.rmAttributeName === name) : undefined;
}

export interface PlacementStep {
  readonly attribute: string;
  readonly nodeId?: string;
}

export class TemplateGuide {
  readonly root: GuideNode;

  constructor(readonly template: OperationalTemplate) {
    this.root = { object: template.definition, archetype: template.definition };
  }

  get templateId(): string {
    return this.template.templateId;
  }

  /** The child of `parent` in `attribute` with `nodeId` (an at-code or archetype id), or the only child. */
  child(parent: GuideNode | undefined, attribute: string, nodeId?: string): GuideNode | undefined {
    if (!parent) {
      return undefined;
    }
    const found = attributeOf(parent.object, attribute);
    if (!found) {
      return undefined;
    }
    const candidates = nodeId === undefined ? found.children : found.children.filter((c) => objectId(c) === nodeId);
    let object = candidates[0];
    if (!object || (nodeId === undefined && candidates.length > 1 && found.kind === 'C_MULTIPLE_ATTRIBUTE')) {
      return undefined;
    }
    if (object.kind === 'ARCHETYPE_INTERNAL_REF') {
      object = resolveInternalRef(object, parent.archetype, this.template.definition);
      if (!object) {
        return undefined;
      }
    }
    return { object, archetype: object.kind === 'C_ARCHETYPE_ROOT' ? object : parent.archetype };
  }

  /** The name a node takes: the one the template fixes, else its term text. */
  name(node: GuideNode): string | undefined {
    const fixed = this.fixedName(node.object);
    if (fixed) {
      return fixed;
    }
    const code = node.object.kind === 'C_ARCHETYPE_ROOT' ? 'at0000' : node.object.nodeId;
    const terms = node.archetype.termDefinitions;
    const language = this.template.language;
    return terms[language]?.[code]?.text ?? Object.values(terms).find((t) => t[code])?.[code]?.text;
  }

  private fixedName(object: CObject): string | undefined {
    for (const alternative of attributeOf(object, 'name')?.children ?? []) {
      for (const primitive of attributeOf(alternative, 'value')?.children ?? []) {
        if (primitive.kind === 'C_PRIMITIVE_OBJECT' && primitive.item?.type === 'C_STRING' && primitive.item.list?.length) {
          return primitive.item.list[0];
        }
      }
    }
    return undefined;
  }

  rmType(node: GuideNode): string {
    return node.object.rmTypeName;
  }

  /** The steps from the composition root to the first place the archetype is used. */
  placement(archetypeId: string): PlacementStep[] | undefined {
    const search = (object: CObject, path: PlacementStep[], depth: number): PlacementStep[] | undefined => {
      if (!isComplex(object) || depth > 40) {
        return undefined;
      }
      for (const attribute of object.attributes) {
        for (const child of attribute.children) {
          const step: PlacementStep = { attribute: attribute.rmAttributeName, ...(objectId(child) ? { nodeId: objectId(child) } : {}) };
          if (child.kind === 'C_ARCHETYPE_ROOT' && child.archetypeId === archetypeId) {
            return [...path, step];
          }
          const deeper = search(child, [...path, step], depth + 1);
          if (deeper) {
            return deeper;
          }
        }
      }
      return undefined;
    };
    return search(this.template.definition, [], 0);
  }

  /** The category code the template fixes for its compositions (433 event, 431 persistent, 451 episodic). */
  categoryCode(): string | undefined {
    const category = this.child(this.root, 'category');
    const definingCode = category ? this.child(category, 'defining_code') : undefined;
    const object = definingCode?.object;
    return object?.kind === 'C_CODE_PHRASE' ? object.codeList[0] : undefined;
  }
}
