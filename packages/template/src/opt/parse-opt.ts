/**
 * Parses an operational template (OPT 1.4 XML) into the template tree.
 * Anything malformed or invalid is a CdrError 'bad-request' saying what and where.
 */
import { badRequest } from '@cdr/rm';
import { readXml, type ReadXmlOptions } from '../xml/read-xml.js';
import { checkSequence, many, one, optional } from './element-sequence.js';
import { forEachInternalRef, resolveInternalRef } from './internal-refs.js';
import type { Annotations, ArchetypeTerm, CArchetypeRoot, CObject, CodePhrase, OperationalTemplate, ResourceDescription } from './model.js';
import { isComplex, TEMPLATE_FORMAT_VERSION } from './model.js';
import { OptNode } from './opt-node.js';
import { ConstraintParser, dataValueJson, parseArchetypeTerm, parseCodePhrase, parseTermBindings, type ComponentOntology } from './parse-constraints.js';
import { constrainedTextNames } from './node-names.js';
import { objectId, splitArchetypePath, type PathSegment } from './template-path.js';

/** The OPERATIONAL_TEMPLATE sequence of the OPT 1.4 schema. */
const TEMPLATE_SEQUENCE = [
  one('language'),
  optional('is_controlled'),
  optional('description'),
  optional('revision_history'),
  optional('uid'),
  one('template_id'),
  one('concept'),
  one('definition'),
  optional('ontology'),
  many('component_ontologies'),
  many('annotations'),
  optional('constraints'),
  optional('view'),
];

export type ParseOptOptions = Pick<ReadXmlOptions, 'maxBytes'>;

export function parseOpt(xml: string | Uint8Array, options: ParseOptOptions = {}): OperationalTemplate {
  const root = readXml(xml, { ...options, what: 'Operational template' });
  if (root.name !== 'template') {
    throw badRequest(
      `Invalid operational template: the root element is <${root.name}> (line ${root.line}); an OPT 1.4 document's root element is <template>`,
      [{ path: `/${root.name}`, message: `expected <template>, found <${root.name}>` }],
    );
  }
  const template = new OptNode(root, '/template');
  checkSequence(template, TEMPLATE_SEQUENCE);

  const language = parseCodePhrase(template.required('language')).codeString;
  const templateIdNode = template.required('template_id');
  const templateId = templateIdNode.optionalText('value');
  if (!templateId) {
    throw templateIdNode.error('the template has no template id: <template_id> needs a non-empty <value>');
  }
  const concept = template.required('concept').text;
  if (concept.length === 0) {
    throw template.required('concept').error('<concept> is empty: the template must name its concept');
  }
  const uid = template.optional('uid')?.optionalText('value');
  const descriptionNode = template.optional('description');
  const description = descriptionNode ? parseDescription(descriptionNode) : undefined;

  const ontologies = parseOntologies(template);
  const parser = new ConstraintParser({ language, ontologies });
  const definitionNode = template.required('definition');
  const parsed = parser.parseObject(definitionNode, 'C_ARCHETYPE_ROOT');
  if (parsed.kind !== 'C_ARCHETYPE_ROOT') {
    throw definitionNode.error(`the definition must be a C_ARCHETYPE_ROOT, found ${parsed.kind}`);
  }
  let definition = parsed;
  const constraints = template.optional('constraints');
  if (constraints) {
    definition = applyDefaults(definition, constraints);
  }

  forEachInternalRef(definition, (ref, archetype, path) => {
    if (!resolveInternalRef(ref, archetype, definition)) {
      throw badRequest(
        `Invalid operational template: the ARCHETYPE_INTERNAL_REF at ${path} points to '${ref.targetPath}', which does not exist in ${archetype.archetypeId}`,
        [{ path, message: `unresolved internal reference to '${ref.targetPath}'` }],
      );
    }
  });

  const annotations: Record<string, Record<string, string>> = {};
  for (const annotation of template.all('annotations')) {
    const path = annotation.requiredAttribute('path');
    const items = (annotations[path] ??= {});
    for (const item of annotation.all('items')) {
      items[item.requiredAttribute('id')] = item.text;
    }
  }

  const languages = [language];
  const addLanguage = (l: string): void => {
    if (!languages.includes(l)) {
      languages.push(l);
    }
  };
  for (const l of Object.keys(description?.details ?? {})) {
    addLanguage(l);
  }
  for (const ontology of ontologies.values()) {
    for (const l of Object.keys(ontology.termDefinitions)) {
      addLanguage(l);
    }
  }

  return {
    formatVersion: TEMPLATE_FORMAT_VERSION,
    templateId,
    ...(uid ? { uid } : {}),
    concept,
    language,
    languages,
    ...(description ? { description } : {}),
    definition,
    annotations: annotations as Annotations,
  };
}

function dictionary(nodes: readonly OptNode[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const node of nodes) {
    result[node.attribute('id') ?? ''] = node.text;
  }
  return result;
}

function parseDescription(node: OptNode): ResourceDescription {
  const details: Record<string, ResourceDescription['details'][string]> = {};
  for (const item of node.all('details')) {
    const language = parseCodePhrase(item.required('language')).codeString;
    const keywords = item.all('keywords').map((k) => k.text);
    const use = item.optionalText('use');
    const misuse = item.optionalText('misuse');
    const copyright = item.optionalText('copyright');
    details[language] = {
      purpose: item.optionalText('purpose') ?? '',
      ...(use ? { use } : {}),
      ...(misuse ? { misuse } : {}),
      ...(copyright ? { copyright } : {}),
      ...(keywords.length > 0 ? { keywords } : {}),
    };
  }
  return {
    originalAuthor: dictionary(node.all('original_author')),
    lifecycleState: node.optionalText('lifecycle_state') ?? '',
    otherDetails: dictionary(node.all('other_details')),
    details,
  };
}

function parseOntologies(template: OptNode): Map<string, ComponentOntology> {
  const result = new Map<string, ComponentOntology>();
  const sections = [template.optional('ontology'), ...template.all('component_ontologies')].filter((n): n is OptNode => n !== undefined);
  for (const section of sections) {
    const archetypeId = section.attribute('archetype_id');
    if (!archetypeId) {
      continue;
    }
    const existing = result.get(archetypeId);
    const ontology: ComponentOntology = existing ?? { termDefinitions: {}, constraintDefinitions: {}, termBindings: {} };
    const readDefinitions = (name: string, into: Record<string, Record<string, ArchetypeTerm>>): void => {
      for (const set of section.all(name)) {
        const language = set.requiredAttribute('language');
        const terms = (into[language] ??= {});
        for (const item of set.all('items')) {
          terms[item.requiredAttribute('code')] = parseArchetypeTerm(item);
        }
      }
    };
    readDefinitions('term_definitions', ontology.termDefinitions);
    readDefinitions('constraint_definitions', ontology.constraintDefinitions);
    parseTermBindings(section.all('term_bindings'), ontology.termBindings as Record<string, Record<string, CodePhrase>>);
    result.set(archetypeId, ontology);
  }
  return result;
}

/** Attaches the template's default values (T_CONSTRAINT) to the nodes they belong to. */
function applyDefaults(definition: CArchetypeRoot, constraints: OptNode): CArchetypeRoot {
  let result = definition;
  for (const attribute of constraints.all('attributes')) {
    const rmAttributeName = attribute.requiredText('rm_attribute_name');
    const differentialPath = attribute.requiredText('differential_path');
    for (const child of attribute.all('children')) {
      const valueNode = child.optional('default_value');
      if (!valueNode) {
        continue;
      }
      let split: { root?: string; segments: PathSegment[] };
      try {
        split = splitArchetypePath(differentialPath);
      } catch {
        throw attribute.error(`'${differentialPath}' is not a valid differential path`);
      }
      if (split.root !== undefined && split.root !== definition.archetypeId) {
        throw attribute.error(`the differential path '${differentialPath}' does not start at the template's root archetype ${definition.archetypeId}`);
      }
      const value = dataValueJson(valueNode);
      const rmType = valueNode.xsiType ?? child.optionalText('rm_type_name');
      const updated = setDefault(result, [...split.segments], rmAttributeName, rmType, value);
      if (!updated) {
        throw attribute.error(`the default value's path '${differentialPath}/${rmAttributeName}' does not exist in the definition`);
      }
      result = updated as CArchetypeRoot;
    }
  }
  return result;
}

function setDefault(object: CObject, segments: PathSegment[], attributeName: string, rmType: string | undefined, value: unknown): CObject | undefined {
  if (!isComplex(object)) {
    return undefined;
  }
  const [segment, ...rest] = segments;
  const name = segment ? segment.attribute : attributeName;
  const index = object.attributes.findIndex((a) => a.rmAttributeName === name);
  const attribute = object.attributes[index];
  if (!attribute) {
    return undefined;
  }
  const matching = (c: CObject): boolean => segment !== undefined && (segment.nodeId === undefined || objectId(c) === segment.nodeId);
  const named = segment?.name === undefined ? -1 : attribute.children.findIndex((c) => matching(c) && constrainedTextNames(c).includes(segment.name!));
  const childIndex = segment
    ? named >= 0
      ? named
      : attribute.children.findIndex(matching)
    : Math.max(0, attribute.children.findIndex((c) => c.rmTypeName === rmType));
  const child = attribute.children[childIndex];
  if (!child) {
    return undefined;
  }
  const replaced = segment ? setDefault(child, rest, attributeName, rmType, value) : ({ ...child, defaultValue: value } as CObject);
  if (!replaced) {
    return undefined;
  }
  const children = attribute.children.map((c, i) => (i === childIndex ? replaced : c));
  const attributes = object.attributes.map((a, i) => (i === index ? { ...a, children } : a));
  return { ...object, attributes };
}
