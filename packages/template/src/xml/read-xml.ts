/**
 * A hardened XML reader for uploaded documents (operational templates, canonical XML).
 *
 * - refuses DOCTYPE declarations (and so DTDs and entity definitions),
 * - expands only the five predefined entities and numeric character references,
 * - refuses documents above a size limit,
 * - keeps element order and the line of every element, so callers can say where a problem is.
 *
 * Namespace prefixes are dropped from element and attribute names (`xsi:type` becomes `type`);
 * namespace declarations are dropped.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { badRequest } from '@cdr/rm';

export interface XmlElement {
  /** Local name (no prefix). */
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated character data directly inside this element (not trimmed). */
  readonly text: string;
  /** 1-based line where the element starts. */
  readonly line: number;
}

export interface ReadXmlOptions {
  /** Largest accepted document in bytes (UTF-8); default 20 MiB. */
  readonly maxBytes?: number;
  /** What the document is, for error messages ("operational template"). */
  readonly what?: string;
}

export const DEFAULT_MAX_XML_BYTES = 20 * 1024 * 1024;

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

type OrderedNode = Record<string, unknown>;

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

function lineAt(starts: readonly number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= index) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo + 1;
}

/** Expands predefined entities and character references; anything else is refused. */
export function decodeEntities(value: string, line: number, what: string): string {
  if (!value.includes('&')) {
    return value;
  }
  return value.replace(/&([^;&\s]{0,32});?/g, (match, name: string) => {
    if (!match.endsWith(';')) {
      throw badRequest(`${what}: unescaped '&' at line ${line}`);
    }
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) {
      return predefined;
    }
    const numeric = /^#(x[0-9a-fA-F]{1,6}|[0-9]{1,7})$/.exec(name);
    if (numeric?.[1]) {
      const ref = numeric[1];
      const code = ref.startsWith('x') ? parseInt(ref.slice(1), 16) : parseInt(ref, 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        throw badRequest(`${what}: invalid character reference '&${name};' at line ${line}`);
      }
      return String.fromCodePoint(code);
    }
    throw badRequest(`${what}: undefined entity '&${name};' at line ${line} (only the predefined XML entities are allowed)`);
  });
}

/**
 * Parses an XML document into an element tree and returns its root element.
 * Throws a CdrError 'bad-request' naming the problem and its line.
 */
export function readXml(input: string | Uint8Array, options: ReadXmlOptions = {}): XmlElement {
  const what = options.what ?? 'XML document';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const byteLength = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (byteLength > maxBytes) {
    throw badRequest(`${what} is too large: ${byteLength} bytes, the limit is ${maxBytes}`);
  }
  let text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
  if (text.charCodeAt(0) === 0xfeff) {
    text = text.slice(1);
  }
  if (text.trim().length === 0) {
    throw badRequest(`${what} is empty`);
  }
  const starts = lineStarts(text);
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) {
    throw badRequest(`${what}: DOCTYPE declarations are not accepted (line ${lineAt(starts, doctype.index)})`);
  }
  if (/<!ENTITY/i.test(text)) {
    throw badRequest(`${what}: entity declarations are not accepted`);
  }
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const column = typeof valid.err.col === 'number' ? `, column ${valid.err.col}` : '';
    throw badRequest(`${what} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line}${column})`);
  }
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    captureMetaData: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    removeNSPrefix: true,
    processEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    commentPropName: false,
    cdataPropName: '#cdata',
  });
  const ordered = parser.parse(text) as OrderedNode[];
  const meta = XMLParser.getMetaDataSymbol() as unknown as symbol;

  const build = (node: OrderedNode): XmlElement | undefined => {
    const name = Object.keys(node).find((k) => k !== ':@' && !k.startsWith('#') && !k.startsWith('?'));
    if (name === undefined) {
      return undefined;
    }
    const info = (node as Record<symbol, { startIndex?: number } | undefined>)[meta];
    const line = lineAt(starts, info?.startIndex ?? 0);
    const rawAttributes = (node[':@'] ?? {}) as Record<string, string>;
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(rawAttributes)) {
      if (key === 'xmlns' || key.startsWith('xmlns:')) {
        continue;
      }
      attributes[key] = decodeEntities(String(value), line, what);
    }
    const children: XmlElement[] = [];
    let content = '';
    for (const child of (node[name] ?? []) as OrderedNode[]) {
      if ('#text' in child) {
        content += decodeEntities(String(child['#text']), line, what);
      } else if ('#cdata' in child) {
        const parts = child['#cdata'] as { '#text'?: string }[];
        content += parts.map((p) => p['#text'] ?? '').join('');
      } else {
        const element = build(child);
        if (element) {
          children.push(element);
        }
      }
    }
    return Object.freeze({ name, attributes: Object.freeze(attributes), children: Object.freeze(children), text: content, line });
  };

  const roots = ordered.map(build).filter((e): e is XmlElement => e !== undefined);
  const root = roots[0];
  if (!root) {
    throw badRequest(`${what} has no root element`);
  }
  if (roots.length > 1) {
    throw badRequest(`${what} has more than one root element (line ${roots[1]?.line})`);
  }
  return root;
}

/** The children of an element with a given name. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** The first child with a given name. */
export function firstChild(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

/** Trimmed text of the first child with a given name. */
export function childText(element: XmlElement, name: string): string | undefined {
  const child = firstChild(element, name);
  return child === undefined ? undefined : child.text.trim();
}
