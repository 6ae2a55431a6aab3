/**
 * Test support: reads a canonical XML composition into canonical JSON, guided by the RM
 * class table (lists, primitive types, xsi:type). Enough to replay the public XML test
 * compositions; the RM package's codec is the product's reader.
 */
import { allAttributes, attribute, isKnownType, rmClass } from '../rm/rm-model.js';
import { readXml, type XmlElement } from '../xml/read-xml.js';

const XML_NAMES: Readonly<Record<string, string>> = { work_flow_id: 'workflow_id' };

function primitive(text: string, type: string): unknown {
  switch (type) {
    case 'Boolean':
      return text.trim() === 'true';
    case 'Integer':
    case 'Real': {
      const n = Number(text.trim());
      return Number.isFinite(n) ? n : text;
    }
    default:
      return text;
  }
}

function convert(element: XmlElement, declaredType: string): unknown {
  const xsiType = element.attributes.type;
  const type = xsiType && isKnownType(xsiType) ? xsiType : declaredType;
  if (!rmClass(type) && element.children.length === 0) {
    return primitive(element.text, type);
  }
  const result: Record<string, unknown> = {};
  if (xsiType && isKnownType(xsiType)) {
    result._type = xsiType;
  } else if (rmClass(type) && !rmClass(type)?.abstract) {
    result._type = type;
  }
  if (element.attributes.archetype_node_id !== undefined) {
    result.archetype_node_id = element.attributes.archetype_node_id;
  }
  for (const child of element.children) {
    const name = XML_NAMES[child.name] ?? child.name;
    const rm = attribute(type, name);
    const value = convert(child, rm?.type ?? (child.children.length > 0 ? 'UNKNOWN' : 'String'));
    if (rm?.multiple) {
      const list = (result[name] ??= []) as unknown[];
      list.push(value);
    } else {
      result[name] = value;
    }
  }
  if (allAttributes(type).length === 0 && element.children.length === 0) {
    return element.text;
  }
  return result;
}

export function canonicalXmlToJson(xml: string): unknown {
  const root = readXml(xml, { what: 'Canonical XML' });
  const type = root.name === 'composition' ? 'COMPOSITION' : root.name.toUpperCase();
  return convert(root, type);
}
