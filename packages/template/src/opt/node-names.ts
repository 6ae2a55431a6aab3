/**
 * Names of constraint objects: the name a template fixes for a node (a `name` attribute
 * constrained to a DV_TEXT value list or a DV_CODED_TEXT code), and the archetype's term text.
 */
import type { CArchetypeRoot, CComplex, CObject } from './model.js';
import { isComplex } from './model.js';

/** Fixed names of a node, from its `name` attribute: DV_TEXT value list entries. */
export function constrainedTextNames(object: CObject): string[] {
  if (!isComplex(object)) {
    return [];
  }
  const nameAttribute = object.attributes.find((a) => a.rmAttributeName === 'name');
  const names: string[] = [];
  for (const alternative of nameAttribute?.children ?? []) {
    if (!isComplex(alternative)) {
      continue;
    }
    const value = alternative.attributes.find((a) => a.rmAttributeName === 'value');
    for (const primitive of value?.children ?? []) {
      if (primitive.kind === 'C_PRIMITIVE_OBJECT' && primitive.item?.type === 'C_STRING') {
        names.push(...(primitive.item.list ?? []));
      }
    }
  }
  return names;
}

/** Local codes a node's name is constrained to (DV_CODED_TEXT names). */
export function constrainedNameCodes(object: CObject): { terminologyId?: string; codes: string[] } | undefined {
  if (!isComplex(object)) {
    return undefined;
  }
  const nameAttribute = object.attributes.find((a) => a.rmAttributeName === 'name');
  for (const alternative of nameAttribute?.children ?? []) {
    if (!isComplex(alternative) || alternative.rmTypeName !== 'DV_CODED_TEXT') {
      continue;
    }
    const definingCode = alternative.attributes.find((a) => a.rmAttributeName === 'defining_code');
    for (const code of definingCode?.children ?? []) {
      if (code.kind === 'C_CODE_PHRASE') {
        return code.terminologyId === undefined ? { codes: [...code.codeList] } : { terminologyId: code.terminologyId, codes: [...code.codeList] };
      }
    }
    return { codes: [] };
  }
  return undefined;
}

/** The term text of a code in an archetype, in a language (falling back to any language). */
export function termText(archetype: CArchetypeRoot, code: string, language: string): string | undefined {
  return archetype.termDefinitions[language]?.[code]?.text ?? Object.values(archetype.termDefinitions).find((terms) => terms[code])?.[code]?.text;
}

/**
 * The name data for a node would carry: the template's fixed name if there is exactly one,
 * else the archetype term of its node id.
 */
export function defaultNodeName(object: CObject, archetype: CArchetypeRoot, language: string): string | undefined {
  const fixed = constrainedTextNames(object);
  if (fixed.length > 0) {
    return fixed[0];
  }
  const coded = constrainedNameCodes(object);
  if (coded && coded.codes.length > 0 && (coded.terminologyId === undefined || coded.terminologyId === 'local')) {
    const code = coded.codes[0]!;
    return termText(archetype, code, language) ?? code;
  }
  const owner = object.kind === 'C_ARCHETYPE_ROOT' ? object : archetype;
  const code = object.kind === 'C_ARCHETYPE_ROOT' ? 'at0000' : object.nodeId;
  return code ? termText(owner, code, language) : undefined;
}

export type { CComplex };
