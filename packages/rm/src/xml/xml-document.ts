/**
 * Hardened reading of an XML document into a small element tree with resolved namespaces.
 * Order of defences: size limit, then the safety scan (no DOCTYPE, no entities beyond the
 * predefined ones), then well-formedness (line and column in the error), then parsing
 * with the parser's own entity processing switched off (we decode references ourselves).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CdrError, badRequest } from '../errors.js';
import { decodeReferences, scanForUnsafeMarkup } from './xml-text.js';

export const OPENEHR_NAMESPACE = 'http://schemas.openehr.org/v1';
export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** 10 MB: far above any composition, low enough to keep one request from exhausting memory. */
export const DEFAULT_MAX_XML_BYTES = 10 * 1024 * 1024;
/** Element nesting the parser accepts; archetyped data stays well below it. */
const MAX_NESTING = 512;

export interface XmlReadOptions {
  /** Largest accepted document in UTF-8 bytes (default 10 MB). */
  readonly maxBytes?: number;
}

export interface XmlAttribute {
  readonly localName: string;
  readonly namespace: string | undefined;
  readonly value: string;
}

export interface XmlElement {
  readonly localName: string;
  readonly namespace: string | undefined;
  /** Attributes other than namespace declarations. */
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** All character data directly inside the element (text and CDATA), decoded. */
  readonly text: string;
}

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  commentPropName: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_NESTING,
});

function splitQName(qname: string): { prefix: string | undefined; local: string } {
  const colon = qname.indexOf(':');
  return colon === -1 ? { prefix: undefined, local: qname } : { prefix: qname.slice(0, colon), local: qname.slice(colon + 1) };
}

type Scope = ReadonlyMap<string, string>;

function resolvePrefix(prefix: string | undefined, scope: Scope, forAttribute: boolean): string | undefined {
  if (prefix === undefined) {
    // unprefixed attributes are in no namespace; unprefixed elements in the default one
    return forAttribute ? undefined : scope.get('');
  }
  if (prefix === 'xml') {
    return XML_NAMESPACE;
  }
  const uri = scope.get(prefix);
  if (uri === undefined) {
    throw badRequest(`Malformed XML: namespace prefix '${prefix}' is not declared`);
  }
  return uri;
}

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && key !== '#text' && key !== '#cdata');
}

function textOf(nodes: readonly OrderedNode[]): string {
  let text = '';
  for (const node of nodes) {
    if (typeof node['#text'] === 'string') {
      text += node['#text'];
    }
  }
  return text;
}

/** The namespace scope inside an element: the parent's, extended only when the element declares prefixes. */
function withDeclarations(parentScope: Scope, rawAttributes: Readonly<Record<string, string>>): Scope {
  let scope: Map<string, string> | undefined;
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      scope ??= new Map(parentScope);
      scope.set(name === 'xmlns' ? '' : name.slice(6), decodeReferences(value));
    }
  }
  return scope ?? parentScope;
}

function toElement(node: OrderedNode, qname: string, parentScope: Scope): XmlElement {
  const rawAttributes = (node[':@'] ?? {}) as Record<string, string>;
  const scope = withDeclarations(parentScope, rawAttributes);
  const attributes: XmlAttribute[] = [];
  for (const [name, value] of Object.entries(rawAttributes)) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) {
      const { prefix, local } = splitQName(name);
      attributes.push({ localName: local, namespace: resolvePrefix(prefix, scope, true), value: decodeReferences(value) });
    }
  }
  const { prefix, local } = splitQName(qname);
  const content = (node[qname] ?? []) as OrderedNode[];
  const children: XmlElement[] = [];
  let text = '';
  for (const child of content) {
    if (typeof child['#text'] === 'string') {
      text += decodeReferences(child['#text']);
    } else if (Array.isArray(child['#cdata'])) {
      text += textOf(child['#cdata'] as OrderedNode[]);
    } else {
      const childName = elementName(child);
      if (childName !== undefined) {
        children.push(toElement(child, childName, scope));
      }
    }
  }
  return { localName: local, namespace: resolvePrefix(prefix, scope, false), attributes, children, text };
}

function checkWellFormed(xml: string): void {
  const result = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (result !== true) {
    const { line, col, msg } = result.err;
    throw badRequest(`Malformed XML at line ${line}, column ${col}: ${msg}`, [{ path: '/', message: `line ${line}, column ${col}: ${msg}` }]);
  }
}

/** Reads an XML document into its root element. Throws 413 when too large and 400 when unsafe or malformed. */
export function readXmlDocument(xml: string, options: XmlReadOptions = {}): XmlElement {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  // a UTF-8 byte is at most one UTF-16 unit, so short strings skip the byte count
  if (xml.length > maxBytes || (xml.length * 3 > maxBytes && Buffer.byteLength(xml, 'utf8') > maxBytes)) {
    throw new CdrError('too-large', `The XML document is larger than ${maxBytes} bytes`);
  }
  scanForUnsafeMarkup(xml);
  checkWellFormed(xml);
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(xml) as OrderedNode[];
  } catch (error) {
    throw badRequest(`Malformed XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const roots = nodes.filter((node) => elementName(node) !== undefined);
  const root = roots[0];
  const rootName = root ? elementName(root) : undefined;
  if (!root || rootName === undefined || roots.length > 1) {
    throw badRequest('Malformed XML: a document has exactly one root element');
  }
  return toElement(root, rootName, new Map());
}
