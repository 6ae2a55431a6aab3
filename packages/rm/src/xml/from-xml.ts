/**
 * Canonical XML to canonical JSON, driven by the model table: each child element is an
 * attribute of its parent's class, its type is `xsi:type` or else the attribute's declared
 * type, lists are made where the model says multi-valued, and primitive text is typed
 * (numbers, booleans) per the model. Every object gets an explicit `_type`.
 *
 * Accepted leniently, as other openEHR systems write them: elements in the openEHR
 * namespace or in none, any prefix, children in any order, the XSD's `work_flow_id` or
 * the RM's `workflow_id`. Content that cannot be mapped onto the RM is a 422 listing every
 * problem on its AQL-style path; an unknown root element or root type is a 400.
 */
import { CdrError, badRequest, type Issue } from '../errors.js';
import type { PrimitiveType, RmAttribute } from '../model/definition.js';
import { allAttributes, isAbstract, isPrimitiveType, isRmClassName, isSubtypeOf } from '../model/registry.js';
import { baseTypeName } from '../model/type-names.js';
import { appendStep, listSteps, ROOT_PATH, singleStep, type PathStep } from '../paths.js';
import type { JsonObject, JsonValue, RmObject } from '../types/json.js';
import { OPENEHR_NAMESPACE, readXmlDocument, XSI_NAMESPACE, type XmlElement, type XmlReadOptions } from './xml-document.js';
import { declaredTypeOfRoot } from './root-elements.js';

export interface FromXmlOptions extends XmlReadOptions {
  /** When given, the document's root must be of this RM type (or a subtype); otherwise 400. */
  readonly expectedType?: string;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function xsiType(element: XmlElement): string | undefined {
  const found = element.attributes.find((a) => a.localName === 'type' && a.namespace === XSI_NAMESPACE);
  if (!found) {
    return undefined;
  }
  // a QName: the prefix names the openEHR namespace (or none); the class is the local part
  const value = found.value.trim();
  return baseTypeName(value.slice(value.indexOf(':') + 1));
}

const xmlNameIndex = new Map<string, ReadonlyMap<string, RmAttribute>>();

/** A class's attributes by XML name and by RM name (they differ for work_flow_id). */
function attributeByXmlName(type: string): ReadonlyMap<string, RmAttribute> {
  let byName = xmlNameIndex.get(type);
  if (!byName) {
    const index = new Map<string, RmAttribute>();
    for (const declared of allAttributes(type)) {
      index.set(declared.xmlName, declared);
      index.set(declared.name, declared);
    }
    byName = index;
    xmlNameIndex.set(type, byName);
  }
  return byName;
}

/** Just enough of a child element to give it its AQL path step (node id, name/value). */
function pathView(element: XmlElement): JsonObject {
  const nodeId = element.attributes.find((a) => a.localName === 'archetype_node_id' && a.namespace === undefined)?.value;
  const nameValue = element.children.find((c) => c.localName === 'name')?.children.find((c) => c.localName === 'value')?.text;
  return {
    ...(nodeId === undefined ? {} : { archetype_node_id: nodeId }),
    ...(nameValue === undefined ? {} : { name: { value: nameValue } }),
  };
}

class XmlToJson {
  readonly issues: Issue[] = [];

  report(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** The RM class of an element declared as `declaredType`, or undefined after reporting why not. */
  runtimeType(element: XmlElement, declaredType: string, path: string): string | undefined {
    const written = xsiType(element);
    if (written === undefined) {
      if (isAbstract(declaredType)) {
        this.report(path, `xsi:type is required: ${declaredType} is abstract`);
        return undefined;
      }
      return declaredType;
    }
    if (!isRmClassName(written)) {
      this.report(path, `xsi:type '${written}' is not an RM class`);
      return undefined;
    }
    if (!isSubtypeOf(written, declaredType)) {
      this.report(path, `xsi:type '${written}' is not a ${declaredType}`);
      return undefined;
    }
    if (isAbstract(written)) {
      this.report(path, `xsi:type '${written}' is abstract`);
      return undefined;
    }
    return written;
  }

  value(element: XmlElement, type: string, path: string): JsonValue | undefined {
    if (element.namespace !== undefined && element.namespace !== OPENEHR_NAMESPACE) {
      this.report(path, `element '${element.localName}' is in namespace ${element.namespace}, not ${OPENEHR_NAMESPACE}`);
      return undefined;
    }
    if (isPrimitiveType(type)) {
      return this.primitive(element, type, path);
    }
    const runtime = this.runtimeType(element, type, path);
    return runtime === undefined ? undefined : this.object(element, runtime, path);
  }

  primitive(element: XmlElement, type: PrimitiveType, path: string): JsonValue | undefined {
    if (element.children.length > 0) {
      this.report(path, `expected text (${type}), found child elements`);
      return undefined;
    }
    const text = element.text;
    switch (type) {
      case 'String':
        return text;
      case 'Octets':
        return text.trim();
      case 'Boolean': {
        const trimmed = text.trim();
        if (trimmed === 'true' || trimmed === '1') {
          return true;
        }
        if (trimmed === 'false' || trimmed === '0') {
          return false;
        }
        this.report(path, `'${trimmed}' is not a boolean`);
        return undefined;
      }
      case 'Integer':
      case 'Integer64': {
        const trimmed = text.trim();
        const number = Number(trimmed);
        if (!INTEGER.test(trimmed) || !Number.isSafeInteger(number)) {
          this.report(path, `'${trimmed}' is not an integer JSON can carry exactly`);
          return undefined;
        }
        return number;
      }
      case 'Real':
      case 'Double': {
        const trimmed = text.trim();
        if (!DECIMAL.test(trimmed) || !Number.isFinite(Number(trimmed))) {
          this.report(path, `'${trimmed}' is not a finite number`);
          return undefined;
        }
        return Number(trimmed);
      }
    }
  }

  object(element: XmlElement, type: string, path: string): JsonObject {
    const declared = allAttributes(type);
    const byXmlName = attributeByXmlName(type);
    const values = new Map<string, JsonValue | JsonValue[]>();

    this.xmlAttributes(element, type, byXmlName, values, path);
    if (element.text.trim() !== '') {
      this.report(path, `unexpected text in ${type}: '${element.text.trim().slice(0, 40)}'`);
    }

    const steps = this.childSteps(element, byXmlName);
    element.children.forEach((child, index) => {
      const step = steps[index] ?? { attribute: child.localName };
      const childPath = appendStep(path, step);
      const rmAttribute = byXmlName.get(child.localName);
      if (!rmAttribute || rmAttribute.xmlAttribute) {
        this.report(childPath, `unknown attribute '${child.localName}' of ${type}`);
        return;
      }
      const value = this.value(child, rmAttribute.type, childPath);
      if (value === undefined) {
        return;
      }
      const existing = values.get(rmAttribute.name);
      if (rmAttribute.multiple) {
        values.set(rmAttribute.name, [...((existing as JsonValue[] | undefined) ?? []), value]);
      } else if (existing !== undefined) {
        this.report(childPath, `'${child.localName}' occurs more than once; ${type}.${rmAttribute.name} is single-valued`);
      } else {
        values.set(rmAttribute.name, value);
      }
    });

    // `_type` first, then attributes in model order
    const result: Record<string, JsonValue> = { _type: type };
    for (const rmAttribute of declared) {
      const value = values.get(rmAttribute.name);
      if (value !== undefined) {
        result[rmAttribute.name] = value;
      }
    }
    return result;
  }

  xmlAttributes(
    element: XmlElement,
    type: string,
    byXmlName: ReadonlyMap<string, RmAttribute>,
    values: Map<string, JsonValue | JsonValue[]>,
    path: string,
  ): void {
    for (const xmlAttribute of element.attributes) {
      if (xmlAttribute.namespace === XSI_NAMESPACE) {
        continue; // xsi:type is read above; schemaLocation and the like carry no data
      }
      const rmAttribute = xmlAttribute.namespace === undefined ? byXmlName.get(xmlAttribute.localName) : undefined;
      if (!rmAttribute?.xmlAttribute) {
        this.report(appendStep(path, { attribute: xmlAttribute.localName }), `unexpected XML attribute '${xmlAttribute.localName}' on ${type}`);
        continue;
      }
      values.set(rmAttribute.name, xmlAttribute.value);
    }
  }

  /** Path steps for the children, with lists stepped together as in canonical JSON. */
  childSteps(element: XmlElement, byXmlName: ReadonlyMap<string, RmAttribute>): PathStep[] {
    const steps: PathStep[] = [];
    const groups = new Map<string, number[]>();
    element.children.forEach((child, index) => {
      const rmAttribute = byXmlName.get(child.localName);
      if (rmAttribute?.multiple) {
        groups.set(rmAttribute.name, [...(groups.get(rmAttribute.name) ?? []), index]);
      } else {
        steps[index] = singleStep(rmAttribute?.name ?? child.localName, pathView(child));
      }
    });
    for (const [name, indexes] of groups) {
      const listed = listSteps(
        name,
        indexes.map((i) => pathView(element.children[i] as XmlElement)),
      );
      indexes.forEach((childIndex, position) => {
        steps[childIndex] = listed[position] ?? { attribute: name };
      });
    }
    return steps;
  }
}

function rootType(root: XmlElement, expectedType: string | undefined): string {
  if (root.namespace !== undefined && root.namespace !== OPENEHR_NAMESPACE) {
    throw badRequest(`The root element '${root.localName}' is in namespace ${root.namespace}, not ${OPENEHR_NAMESPACE}`);
  }
  const declared = declaredTypeOfRoot(root.localName);
  if (declared === undefined) {
    throw badRequest(`'${root.localName}' is not the root element of an openEHR RM document`);
  }
  const written = xsiType(root);
  const type = written ?? declared;
  if (!isRmClassName(type) || !isSubtypeOf(type, declared) || isAbstract(type)) {
    throw badRequest(
      written === undefined
        ? `The root element '${root.localName}' needs an xsi:type naming a concrete ${declared}`
        : `xsi:type '${written}' is not a concrete ${declared}`,
    );
  }
  if (expectedType !== undefined && !isSubtypeOf(type, expectedType)) {
    throw badRequest(`Expected a ${expectedType}, found a ${type}`);
  }
  return type;
}

/**
 * Reads canonical XML into canonical JSON. Throws 413 for a document over the size limit,
 * 400 for unsafe or malformed XML or the wrong root, 422 for content the RM has no place for.
 */
export function fromXml<T extends RmObject = RmObject>(xml: string, options: FromXmlOptions = {}): T {
  const root = readXmlDocument(xml, options);
  const type = rootType(root, options.expectedType);
  const converter = new XmlToJson();
  const result = converter.object(root, type, ROOT_PATH);
  if (converter.issues.length > 0) {
    throw new CdrError('unprocessable', `The XML does not map onto the openEHR reference model (${converter.issues.length} problem${converter.issues.length === 1 ? '' : 's'})`, {
      issues: converter.issues,
    });
  }
  return result as unknown as T;
}
