/**
 * Navigation over the XML of an operational template that knows where it is, so every
 * problem is reported with the element path and line it was found at.
 */
import { badRequest, type CdrError } from '@cdr/rm';
import type { XmlElement } from '../xml/read-xml.js';

export class OptNode {
  constructor(
    readonly element: XmlElement,
    /** Element path from the document root, e.g. `/template/definition/attributes[2]`. */
    readonly path: string,
  ) {}

  get name(): string {
    return this.element.name;
  }

  get line(): number {
    return this.element.line;
  }

  /** The xsi:type of the element, if any (namespace prefix removed). */
  get xsiType(): string | undefined {
    const type = this.element.attributes.type;
    if (type === undefined) {
      return undefined;
    }
    const colon = type.indexOf(':');
    return colon < 0 ? type : type.slice(colon + 1);
  }

  attribute(name: string): string | undefined {
    return this.element.attributes[name];
  }

  requiredAttribute(name: string): string {
    const value = this.attribute(name);
    if (value === undefined) {
      throw this.error(`attribute '${name}' is missing`);
    }
    return value;
  }

  get text(): string {
    return this.element.text.trim();
  }

  /** All children with a name, each with its own path. */
  all(name: string): OptNode[] {
    const found: OptNode[] = [];
    for (const child of this.element.children) {
      if (child.name === name) {
        found.push(new OptNode(child, `${this.path}/${name}[${found.length + 1}]`));
      }
    }
    return found;
  }

  /** The child with a name, if present; refuses more than one. */
  optional(name: string): OptNode | undefined {
    const found = this.all(name);
    if (found.length > 1) {
      throw found[1]!.error(`<${name}> may appear only once in <${this.name}> (first at line ${found[0]!.line})`);
    }
    const only = found[0];
    return only === undefined ? undefined : new OptNode(only.element, `${this.path}/${name}`);
  }

  required(name: string): OptNode {
    const found = this.optional(name);
    if (!found) {
      throw this.error(`required element <${name}> is missing`);
    }
    return found;
  }

  optionalText(name: string): string | undefined {
    return this.optional(name)?.text;
  }

  requiredText(name: string, allowEmpty = false): string {
    const node = this.required(name);
    const text = node.text;
    if (!allowEmpty && text.length === 0) {
      throw node.error(`<${name}> is empty`);
    }
    return text;
  }

  /** Integer content of a child element. */
  optionalInteger(name: string): number | undefined {
    const node = this.optional(name);
    if (!node) {
      return undefined;
    }
    const text = node.text;
    if (!/^[+-]?\d+$/.test(text)) {
      throw node.error(`<${name}> must be an integer, found '${text}'`);
    }
    return Number(text);
  }

  optionalReal(name: string): number | undefined {
    const node = this.optional(name);
    if (!node) {
      return undefined;
    }
    const text = node.text;
    const value = Number(text);
    if (text.length === 0 || !Number.isFinite(value)) {
      throw node.error(`<${name}> must be a number, found '${text}'`);
    }
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const node = this.optional(name);
    if (!node) {
      return undefined;
    }
    const text = node.text;
    if (text === 'true' || text === '1') {
      return true;
    }
    if (text === 'false' || text === '0') {
      return false;
    }
    throw node.error(`<${name}> must be true or false, found '${text}'`);
  }

  requiredBoolean(name: string): boolean {
    const value = this.optionalBoolean(name);
    if (value === undefined) {
      throw this.error(`required element <${name}> is missing`);
    }
    return value;
  }

  /** A 400 that says where the problem is. */
  error(message: string): CdrError {
    return badRequest(`Invalid operational template: ${message} (at ${this.path}, line ${this.line})`, [
      { path: this.path, message: `${message} (line ${this.line})` },
    ]);
  }
}
