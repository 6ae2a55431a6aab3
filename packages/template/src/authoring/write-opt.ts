/**
 * Writes an operational template (the model of `../opt/model.ts`) as OPT 1.4 XML in the
 * namespace http://schemas.openehr.org/v1, element order as in the openEHR XML schemas
 * (Template.xsd, Archetype.xsd, OpenehrProfile.xsd). The output is deterministic: the same
 * template always gives the same text, so generated files can be compared with the committed ones.
 */
import type {
  ArchetypeSlot,
  ArchetypeTerm,
  CArchetypeRoot,
  CAttribute,
  CObject,
  CodePhrase,
  CPrimitive,
  Interval,
  OperationalTemplate,
  SlotAssertion,
} from '../opt/model.js';
import { AuthoringError } from './intervals.js';

const NAMESPACE = 'http://schemas.openehr.org/v1';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const XSD = 'http://www.w3.org/2001/XMLSchema';

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

/** A small indenting XML writer: one element per line, text kept on its element's line. */
class XmlWriter {
  private readonly lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  private depth = 0;

  private attributes(attributes: Readonly<Record<string, string>>): string {
    return Object.entries(attributes)
      .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
      .join('');
  }

  open(name: string, attributes: Readonly<Record<string, string>> = {}): void {
    this.lines.push(`${'  '.repeat(this.depth)}<${name}${this.attributes(attributes)}>`);
    this.depth++;
  }

  close(name: string): void {
    this.depth--;
    this.lines.push(`${'  '.repeat(this.depth)}</${name}>`);
  }

  leaf(name: string, text: string | number | boolean, attributes: Readonly<Record<string, string>> = {}): void {
    this.lines.push(`${'  '.repeat(this.depth)}<${name}${this.attributes(attributes)}>${escapeText(String(text))}</${name}>`);
  }

  element(name: string, body: () => void, attributes: Readonly<Record<string, string>> = {}): void {
    this.open(name, attributes);
    body();
    this.close(name);
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

function writeInterval<T extends number | string>(w: XmlWriter, name: string, interval: Interval<T>): void {
  w.element(name, () => {
    w.leaf('lower_included', interval.lower !== undefined && interval.lowerIncluded);
    w.leaf('upper_included', interval.upper !== undefined && interval.upperIncluded);
    w.leaf('lower_unbounded', interval.lower === undefined);
    w.leaf('upper_unbounded', interval.upper === undefined);
    if (interval.lower !== undefined) {
      w.leaf('lower', interval.lower);
    }
    if (interval.upper !== undefined) {
      w.leaf('upper', interval.upper);
    }
  });
}

function writeCodePhrase(w: XmlWriter, name: string, code: CodePhrase): void {
  w.element(name, () => {
    w.element('terminology_id', () => w.leaf('value', code.terminologyId));
    w.leaf('code_string', code.codeString);
  });
}

function writePrimitive(w: XmlWriter, item: CPrimitive): void {
  w.element(
    'item',
    () => {
      switch (item.type) {
        case 'C_STRING':
          if (item.pattern !== undefined) {
            w.leaf('pattern', item.pattern);
          }
          for (const value of item.list ?? []) {
            w.leaf('list', value);
          }
          if (item.listOpen !== undefined) {
            w.leaf('list_open', item.listOpen);
          }
          break;
        case 'C_INTEGER':
        case 'C_REAL':
          for (const value of item.list ?? []) {
            w.leaf('list', value);
          }
          if (item.range) {
            writeInterval(w, 'range', item.range);
          }
          break;
        case 'C_BOOLEAN':
          w.leaf('true_valid', item.trueValid);
          w.leaf('false_valid', item.falseValid);
          break;
        case 'C_DATE':
        case 'C_TIME':
        case 'C_DATE_TIME':
          if (item.pattern !== undefined) {
            w.leaf('pattern', item.pattern);
          }
          if (item.timezoneValidity !== undefined) {
            w.leaf('timezone_validity', { mandatory: 1001, optional: 1002, disallowed: 1003 }[item.timezoneValidity]);
          }
          if (item.range) {
            writeInterval(w, 'range', item.range);
          }
          break;
        case 'C_DURATION':
          if (item.pattern !== undefined) {
            w.leaf('pattern', item.pattern);
          }
          if (item.range) {
            writeInterval(w, 'range', item.range);
          }
          break;
      }
    },
    { 'xsi:type': item.type },
  );
}

function writeAssertion(w: XmlWriter, name: string, assertion: SlotAssertion): void {
  const pattern = assertion.archetypeIdPattern;
  if (pattern === undefined) {
    throw new AuthoringError(`a slot assertion without an archetype id pattern cannot be written: ${assertion.expression}`);
  }
  w.element(name, () => {
    w.leaf('string_expression', assertion.expression);
    w.element(
      'expression',
      () => {
        w.leaf('type', 'Boolean');
        w.leaf('operator', 2007);
        w.leaf('precedence_overridden', false);
        w.element(
          'left_operand',
          () => {
            w.leaf('type', 'String');
            w.leaf('item', 'archetype_id/value', { 'xsi:type': 'xs:string' });
            w.leaf('reference_type', 'attribute');
          },
          { 'xsi:type': 'EXPR_LEAF' },
        );
        w.element(
          'right_operand',
          () => {
            w.leaf('type', 'C_STRING');
            w.element('item', () => w.leaf('pattern', pattern), { 'xsi:type': 'C_STRING' });
            w.leaf('reference_type', 'constraint');
          },
          { 'xsi:type': 'EXPR_LEAF' },
        );
      },
      { 'xsi:type': 'EXPR_BINARY_OPERATOR' },
    );
  });
}

function writeTerm(w: XmlWriter, name: string, code: string, term: ArchetypeTerm): void {
  w.element(
    name,
    () => {
      w.leaf('items', term.text, { id: 'text' });
      if (term.description !== undefined) {
        w.leaf('items', term.description, { id: 'description' });
      }
      for (const [id, value] of Object.entries(term.other ?? {})) {
        w.leaf('items', value, { id });
      }
    },
    { code },
  );
}

function writeArchetypeRootTail(w: XmlWriter, root: CArchetypeRoot, language: string): void {
  w.element('archetype_id', () => w.leaf('value', root.archetypeId));
  for (const [code, term] of Object.entries(root.termDefinitions[language] ?? {})) {
    writeTerm(w, 'term_definitions', code, term);
  }
  for (const [terminology, codes] of Object.entries(root.termBindings)) {
    w.element(
      'term_bindings',
      () => {
        for (const [code, value] of Object.entries(codes)) {
          w.element('items', () => writeCodePhrase(w, 'value', value), { code });
        }
      },
      { terminology },
    );
  }
}

function writeAttribute(w: XmlWriter, attribute: CAttribute, language: string): void {
  w.element(
    'attributes',
    () => {
      w.leaf('rm_attribute_name', attribute.rmAttributeName);
      writeInterval(w, 'existence', attribute.existence);
      for (const child of attribute.children) {
        writeObject(w, 'children', child, language);
      }
      if (attribute.kind === 'C_MULTIPLE_ATTRIBUTE') {
        w.element('cardinality', () => {
          w.leaf('is_ordered', attribute.cardinality.isOrdered);
          w.leaf('is_unique', attribute.cardinality.isUnique);
          writeInterval(w, 'interval', attribute.cardinality.interval);
        });
      }
    },
    { 'xsi:type': attribute.kind },
  );
}

function writeSlot(w: XmlWriter, slot: ArchetypeSlot): void {
  for (const include of slot.includes) {
    writeAssertion(w, 'includes', include);
  }
  for (const exclude of slot.excludes) {
    writeAssertion(w, 'excludes', exclude);
  }
}

/** Writes one constraint object as `<name xsi:type="...">` (the definition has no xsi:type). */
function writeObject(w: XmlWriter, name: string, object: CObject, language: string): void {
  const attributes: Record<string, string> = name === 'definition' ? {} : { 'xsi:type': object.kind };
  w.element(
    name,
    () => {
      w.leaf('rm_type_name', object.rmTypeName);
      writeInterval(w, 'occurrences', object.occurrences);
      w.leaf('node_id', object.nodeId);
      switch (object.kind) {
        case 'C_COMPLEX_OBJECT':
          for (const attribute of object.attributes) {
            writeAttribute(w, attribute, language);
          }
          break;
        case 'C_ARCHETYPE_ROOT':
          for (const attribute of object.attributes) {
            writeAttribute(w, attribute, language);
          }
          writeArchetypeRootTail(w, object, language);
          break;
        case 'ARCHETYPE_SLOT':
          writeSlot(w, object);
          break;
        case 'C_PRIMITIVE_OBJECT':
          if (object.item) {
            writePrimitive(w, object.item);
          }
          break;
        case 'C_DV_QUANTITY':
          if (object.property) {
            writeCodePhrase(w, 'property', object.property);
          }
          for (const item of object.list) {
            w.element('list', () => {
              if (item.magnitude) {
                writeInterval(w, 'magnitude', item.magnitude);
              }
              if (item.precision) {
                writeInterval(w, 'precision', item.precision);
              }
              w.leaf('units', item.units);
            });
          }
          break;
        case 'C_CODE_PHRASE':
          if (object.terminologyId !== undefined) {
            w.element('terminology_id', () => w.leaf('value', object.terminologyId!));
          }
          for (const code of object.codeList) {
            w.leaf('code_list', code);
          }
          break;
        case 'C_DV_ORDINAL':
        case 'C_DV_SCALE':
        case 'ARCHETYPE_INTERNAL_REF':
        case 'CONSTRAINT_REF':
          throw new AuthoringError(`${object.kind} constraints are not written by the template generator`);
      }
    },
    attributes,
  );
}

/** The OPT 1.4 XML of a template. */
export function writeOpt(template: OperationalTemplate): string {
  const w = new XmlWriter();
  w.open('template', { xmlns: NAMESPACE, 'xmlns:xsi': XSI, 'xmlns:xs': XSD });
  writeCodePhrase(w, 'language', { terminologyId: 'ISO_639-1', codeString: template.language });
  const description = template.description;
  if (description) {
    w.element('description', () => {
      for (const [id, value] of Object.entries(description.originalAuthor)) {
        w.leaf('original_author', value, { id });
      }
      w.leaf('lifecycle_state', description.lifecycleState);
      for (const [id, value] of Object.entries(description.otherDetails)) {
        w.leaf('other_details', value, { id });
      }
      for (const [language, details] of Object.entries(description.details)) {
        w.element('details', () => {
          writeCodePhrase(w, 'language', { terminologyId: 'ISO_639-1', codeString: language });
          w.leaf('purpose', details.purpose);
          for (const keyword of details.keywords ?? []) {
            w.leaf('keywords', keyword);
          }
          if (details.use !== undefined) {
            w.leaf('use', details.use);
          }
          if (details.misuse !== undefined) {
            w.leaf('misuse', details.misuse);
          }
          if (details.copyright !== undefined) {
            w.leaf('copyright', details.copyright);
          }
        });
      }
    });
  }
  w.element('template_id', () => w.leaf('value', template.templateId));
  w.leaf('concept', template.concept);
  writeObject(w, 'definition', template.definition, template.language);
  w.close('template');
  return w.toString();
}
