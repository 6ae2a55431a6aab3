/**
 * Character-level XML handling we do ourselves rather than leave to the parser: the
 * pre-parse safety scan (no DOCTYPE, no entity beyond the five predefined ones and
 * character references), decoding of those references, and escaping for output.
 */
import { badRequest } from '../errors.js';

/** Line and column (1-based) of an offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function refuse(text: string, offset: number, message: string): never {
  const { line, column } = lineAndColumn(text, offset);
  throw badRequest(`Malformed XML at line ${line}, column ${column}: ${message}`, [
    { path: '/', message: `line ${line}, column ${column}: ${message}` },
  ]);
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#([0-9]+)|#x([0-9A-Fa-f]+));/y;

/** Code points XML 1.0 allows in a document. */
export function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

function referenceCodePoint(match: RegExpExecArray): number | undefined {
  if (match[2] !== undefined) {
    return Number.parseInt(match[2], 10);
  }
  if (match[3] !== undefined) {
    return Number.parseInt(match[3], 16);
  }
  return undefined;
}

/**
 * Refuses what the parser must never see: DOCTYPE (and with it any entity declaration)
 * and references other than `&lt; &gt; &amp; &quot; &apos;` and well-formed character
 * references. Comments, CDATA sections and processing instructions are skipped as the XML
 * grammar says.
 */
export function scanForUnsafeMarkup(text: string): void {
  const special = /[<&]/g;
  let at = 0;
  while (at < text.length) {
    special.lastIndex = at;
    const next = special.exec(text);
    if (!next) {
      return;
    }
    at = next.index;
    if (text[at] === '&') {
      REFERENCE.lastIndex = at;
      const match = REFERENCE.exec(text);
      if (!match) {
        refuse(text, at, "'&' must start &lt; &gt; &amp; &quot; &apos; or a character reference (no other entities are accepted)");
      }
      const codePoint = referenceCodePoint(match);
      if (codePoint !== undefined && !isXmlChar(codePoint)) {
        refuse(text, at, `character reference ${match[0]} is not an XML character`);
      }
      at += match[0].length;
      continue;
    }
    at = skipMarkup(text, at);
  }
}

/** From a '<', the offset after the construct when it has to be skipped whole, else after the '<'. */
function skipMarkup(text: string, at: number): number {
  const skipTo = (terminator: string, what: string): number => {
    const end = text.indexOf(terminator, at);
    if (end === -1) {
      refuse(text, at, `unterminated ${what}`);
    }
    return end + terminator.length;
  };
  if (text.startsWith('<!--', at)) {
    return skipTo('-->', 'comment');
  }
  if (text.startsWith('<![CDATA[', at)) {
    return skipTo(']]>', 'CDATA section');
  }
  if (text.startsWith('<?', at)) {
    return skipTo('?>', 'processing instruction');
  }
  if (text.startsWith('<!', at)) {
    refuse(text, at, 'DOCTYPE and other declarations are not accepted');
  }
  return at + 1;
}

/** Decodes the references the scan let through (text outside CDATA, attribute values). */
export function decodeReferences(text: string): string {
  if (!text.includes('&')) {
    return text;
  }
  return text.replace(/&(?:(lt|gt|amp|quot|apos)|#([0-9]+)|#x([0-9A-Fa-f]+));/g, (_all, name?: string, dec?: string, hex?: string) => {
    if (name !== undefined) {
      return PREDEFINED[name] ?? '';
    }
    return String.fromCodePoint(dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '0', 16));
  });
}

/** The first character XML 1.0 cannot carry, if any (control characters, lone surrogates). */
export function firstNonXmlChar(text: string): string | undefined {
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (!isXmlChar(codePoint)) {
      return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return undefined;
}

/** Escapes element text; CR is written as a reference so that XML line-end handling keeps it. */
export function escapeText(text: string): string {
  return text.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}

/** Escapes an attribute value (double-quoted); tab and line ends as references so attribute normalisation keeps them. */
export function escapeAttribute(text: string): string {
  return text.replace(/[&<>"\t\n\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return `&#${c.charCodeAt(0)};`;
    }
  });
}
