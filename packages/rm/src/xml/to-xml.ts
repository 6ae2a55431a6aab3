/**
 * Canonical JSON to canonical XML in the openEHR namespace: elements in XSD order, the
 * LOCATABLE archetype_node_id as an attribute, and `xsi:type` wherever the runtime type
 * differs from the type the element is declared with. Only objects that pass
 * `checkRmObject` are written; anything else is a 422 with its issues.
 */
import { CdrError, badRequest } from '../errors.js';
import { allAttributes, isPrimitiveType, isSubtypeOf } from '../model/registry.js';
import { appendStep, listSteps, ROOT_PATH, singleStep } from '../paths.js';
import { checkRmObject } from '../json/check.js';
import { resolveRuntimeType } from '../json/runtime-type.js';
import { isJsonObject, type JsonObject } from '../types/json.js';
import { OPENEHR_NAMESPACE, XSI_NAMESPACE } from './xml-document.js';
import { declaredTypeOfRoot, rootElementFor } from './root-elements.js';
import { escapeAttribute, escapeText, firstNonXmlChar } from './xml-text.js';

const INDENT = '  ';

class XmlWriter {
  readonly lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];

  text(value: string, path: string): string {
    const bad = firstNonXmlChar(value);
    if (bad !== undefined) {
      throw new CdrError('unprocessable', `XML cannot carry the character ${bad}`, { issues: [{ path, message: `contains ${bad}, which XML 1.0 cannot carry` }] });
    }
    return value;
  }

  primitive(name: string, value: unknown, depth: number, path: string): void {
    const text = typeof value === 'string' ? this.text(value, path) : String(value);
    this.lines.push(`${INDENT.repeat(depth)}<${name}>${escapeText(text)}</${name}>`);
  }

  object(name: string, value: JsonObject, declaredType: string, depth: number, path: string, rootAttributes = ''): void {
    const runtime = resolveRuntimeType(value, declaredType);
    // checkRmObject ran first, so the type resolves
    const type = runtime.ok ? runtime.type : declaredType;
    const attributes = allAttributes(type);
    let open = `${INDENT.repeat(depth)}<${name}${rootAttributes}`;
    if (type !== declaredType) {
      open += ` xsi:type="${type}"`;
    }
    for (const declared of attributes) {
      const attributeValue = value[declared.name];
      if (declared.xmlAttribute && typeof attributeValue === 'string') {
        open += ` ${declared.xmlName}="${escapeAttribute(this.text(attributeValue, appendStep(path, { attribute: declared.name })))}"`;
      }
    }
    const start = this.lines.length;
    for (const declared of attributes) {
      const child = value[declared.name];
      if (declared.xmlAttribute || child === undefined || child === null) {
        continue;
      }
      if (Array.isArray(child)) {
        const steps = listSteps(declared.name, child);
        child.forEach((item: unknown, index) => {
          this.value(declared.xmlName, item, declared.type, depth + 1, appendStep(path, steps[index] ?? { attribute: declared.name }));
        });
      } else {
        this.value(declared.xmlName, child, declared.type, depth + 1, appendStep(path, singleStep(declared.name, child)));
      }
    }
    if (this.lines.length === start) {
      this.lines.push(`${open}/>`);
    } else {
      this.lines.splice(start, 0, `${open}>`);
      this.lines.push(`${INDENT.repeat(depth)}</${name}>`);
    }
  }

  value(name: string, value: unknown, type: string, depth: number, path: string): void {
    if (isPrimitiveType(type)) {
      this.primitive(name, value, depth, path);
    } else if (isJsonObject(value)) {
      this.object(name, value, type, depth, path);
    }
  }
}

function rootTypeOf(value: JsonObject, rootElement: string | undefined): string {
  const written = value['_type'];
  if (typeof written === 'string') {
    return written;
  }
  const declared = rootElement === undefined ? undefined : declaredTypeOfRoot(rootElement);
  if (declared === undefined) {
    throw badRequest('The object has no _type, so its RM type (and root element) is unknown');
  }
  return declared;
}

/**
 * Writes a canonical JSON RM object as canonical XML. The root element defaults to the
 * one the XML schemas declare for the object's class (see root-elements.ts).
 */
export function toXml(value: unknown, rootElement?: string): string {
  if (!isJsonObject(value)) {
    throw badRequest('Only an RM object (a JSON object) can be written as XML');
  }
  const writtenType = rootTypeOf(value, rootElement);
  const issues = checkRmObject(value, writtenType);
  if (issues.length > 0) {
    throw new CdrError('unprocessable', `The ${writtenType} does not conform to the openEHR reference model`, { issues });
  }
  const runtime = resolveRuntimeType(value, writtenType);
  const type = runtime.ok ? runtime.type : writtenType;
  const element = rootElement ?? rootElementFor(type);
  // the root element's declared type decides whether the root needs xsi:type
  const declared = declaredTypeOfRoot(element) ?? type;
  if (!isSubtypeOf(type, declared)) {
    throw badRequest(`A ${type} cannot be written as the root element '${element}' (declared ${declared})`);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(element)) {
    throw badRequest(`'${element}' is not an XML element name`);
  }
  const writer = new XmlWriter();
  writer.object(element, value, declared, 0, ROOT_PATH, ` xmlns="${OPENEHR_NAMESPACE}" xmlns:xsi="${XSI_NAMESPACE}"`);
  return `${writer.lines.join('\n')}\n`;
}
