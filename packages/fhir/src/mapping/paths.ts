/**
 * Reading the two path languages of a mapping rule.
 *
 * openEHR paths are AQL-style (`data[at0003]/items[at0004]`), parsed by `@cdr/rm`, with an
 * optional root: `$archetype/...`, `$each/...`, `$entry/...`, `$event/...`,
 * `$composition/...`, `$context/<name>`; a leading `/` also starts at the archetype root.
 * Anything else is relative to the current node; `.` (or an empty path) is the node itself.
 *
 * FHIR paths are FHIRPath-like: element names separated by dots, a choice element either as
 * its JSON name (`valueQuantity`) or narrowed with `.as(Type)`/`.ofType(Type)`
 * (`value.as(Quantity)`); `$resource.` starts at the resource root; `.` is the current element.
 */
import { parsePath } from '@cdr/rm';
import type { FhirPath, FhirStep, OpenEhrPath, OpenEhrRoot } from './model.js';

export class MappingSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingSyntaxError';
  }
}

const OPENEHR_ROOTS: Readonly<Record<string, OpenEhrRoot>> = {
  $archetype: 'archetype',
  $each: 'each',
  $entry: 'entry',
  $event: 'event',
  $composition: 'composition',
  $context: 'context',
  $here: 'here',
};

export function parseOpenEhrPath(text: string): OpenEhrPath {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '.') {
    return { root: 'here', steps: [], text };
  }
  let root: OpenEhrRoot = 'here';
  let rest = trimmed;
  if (trimmed.startsWith('$')) {
    const end = trimmed.indexOf('/');
    const name = end < 0 ? trimmed : trimmed.slice(0, end);
    const found = OPENEHR_ROOTS[name];
    if (!found) {
      throw new MappingSyntaxError(`unknown openEHR path root '${name}' in '${text}'`);
    }
    root = found;
    rest = end < 0 ? '' : trimmed.slice(end + 1);
  } else if (trimmed.startsWith('/')) {
    root = 'archetype';
    rest = trimmed.slice(1);
  }
  if (rest === '') {
    return { root, steps: [], text };
  }
  try {
    return { root, steps: parsePath(rest), text };
  } catch (error) {
    throw new MappingSyntaxError(`invalid openEHR path '${text}': ${(error as Error).message}`);
  }
}

/** FHIR type names as FHIR Connect files write them in `as()`/`ofType()`. */
const TYPE_SPELLINGS: Readonly<Record<string, string>> = {
  DateTime: 'dateTime',
  DateTimeType: 'dateTime',
  Date: 'date',
  DateType: 'date',
  String: 'string',
  StringType: 'string',
  Boolean: 'boolean',
  BooleanType: 'boolean',
  Integer: 'integer',
  IntegerType: 'integer',
  Instant: 'instant',
  Time: 'time',
  Uri: 'uri',
  Code: 'code',
  Markdown: 'markdown',
  Decimal: 'decimal',
};

export function normaliseFhirTypeName(name: string): string {
  return TYPE_SPELLINGS[name] ?? name;
}

function splitSegments(text: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') {
      depth += 1;
    } else if (char === ')') {
      depth -= 1;
    }
    if (char === '.' && depth === 0) {
      segments.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  segments.push(current);
  return segments;
}

const CAST = /^(as|ofType)\(\s*([A-Za-z][A-Za-z0-9]*)\s*\)$/;
const ELEMENT_NAME = /^[a-z][A-Za-z0-9]*$/;

export function parseFhirPath(text: string): FhirPath {
  let trimmed = text.trim();
  let root: FhirPath['root'] = 'here';
  if (trimmed.startsWith('$resource')) {
    root = 'resource';
    trimmed = trimmed.slice('$resource'.length).replace(/^\./, '');
  } else if (trimmed.startsWith('$fhirRoot')) {
    trimmed = trimmed.slice('$fhirRoot'.length).replace(/^\./, '');
  }
  if (trimmed === '' || trimmed === '.') {
    return { root, steps: [], text };
  }
  const steps: FhirStep[] = [];
  for (const segment of splitSegments(trimmed)) {
    const cast = CAST.exec(segment);
    if (cast) {
      const previous = steps.pop();
      if (!previous) {
        // a cast of the current element itself narrows nothing the engine needs
        continue;
      }
      steps.push({ name: previous.name, type: normaliseFhirTypeName(cast[2] as string) });
      continue;
    }
    if (!ELEMENT_NAME.test(segment)) {
      throw new MappingSyntaxError(`unsupported step '${segment}' in FHIR path '${text}'`);
    }
    steps.push({ name: segment });
  }
  return { root, steps, text };
}

export function formatFhirPath(path: FhirPath): string {
  const body = path.steps.map((s) => (s.type ? `${s.name}.as(${s.type})` : s.name)).join('.');
  return path.root === 'resource' ? (body ? `$resource.${body}` : '$resource') : body || '.';
}
