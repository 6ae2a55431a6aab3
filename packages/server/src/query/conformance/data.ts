/**
 * The EHRbase AQL conformance data, read in place from ../shared: data files, expected
 * result sets, CSV rows, and the suite index (comparison settings per suite).
 * Described in ../shared/docs/AQL-CONFORMANCE-SETUP.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { sharedPath } from '@cdr/rm/testing/shared';

export const dataPath = (...parts: string[]): string =>
  sharedPath('testdata', 'ehrbase-integration-tests', 'test_data_sets', 'aql', ...parts);
export const extraPath = (...parts: string[]): string => sharedPath('testdata', 'ehrbase-integration-tests-extra', ...parts);

export const readData = (...parts: string[]): string => readFileSync(dataPath(...parts), 'utf8');
export const readExtra = (name: string): string => readFileSync(extraPath(name), 'utf8');

/** An expected result file of an area, as text ('' when the file is empty or missing). */
export function expectedText(area: string, file: string): string {
  const path = dataPath('fields_and_results', area, file);
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** CSV in the Excel dialect: commas, `"` quoting, `""` inside quotes. The first row names the columns. */
export function readCsv(area: string, file: string): Record<string, string>[] {
  const text = readData('fields_and_results', area, 'combinations', file).replace(/^\uFEFF/, '');
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') {
        i += 1;
      }
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header, ...rows] = records.filter((r) => r.some((cell) => cell !== ''));
  const names = (header ?? []).map((h) => h.replace(/^\$\{|\}$/g, ''));
  return rows.map((row) => Object.fromEntries(names.map((name, i) => [name, row[i] ?? ''])));
}

export interface Comparison {
  /** SUB: placeholders in the expected file are replaced; LIT: read as is. */
  readonly mode: 'SUB' | 'LIT';
  /** Paths left out of both sides, e.g. [['meta'], ['rows', 0, 0, 'uid']]. */
  readonly excluded: readonly (readonly (string | number)[])[];
  readonly ignoreOrder: boolean;
  readonly ignoreCase: boolean;
}

/** `SUB|excl=['meta'],['q']|any-order|case-insensitive` */
export function parseComparison(text: string): Comparison {
  const [mode, excl, order, kase] = text.split('|');
  const excluded = [...(excl ?? '').matchAll(/((?:\[[^\]]+\])+)/g)].map((m) =>
    [...(m[1] as string).matchAll(/\[([^\]]+)\]/g)].map((p) => {
      const token = p[1] as string;
      return /^\d+$/.test(token) ? Number(token) : token.replace(/^'|'$/g, '');
    }),
  );
  return { mode: mode === 'LIT' ? 'LIT' : 'SUB', excluded, ignoreOrder: order !== 'strict-order', ignoreCase: kase === 'case-insensitive' };
}

export interface IndexEntry {
  readonly suite: string;
  readonly area: string;
  readonly tests: number;
  readonly data: string;
  readonly comparisons: readonly Comparison[];
}

/** ../shared/docs/aql-conformance-suite-index.tsv */
export function readSuiteIndex(): Map<string, IndexEntry> {
  const text = readFileSync(sharedPath('docs', 'aql-conformance-suite-index.tsv'), 'utf8');
  const entries = new Map<string, IndexEntry>();
  for (const line of text.split('\n').slice(1)) {
    const [suite, area, tests, data, , , comparison] = line.split('\t');
    if (!suite || !area) {
      continue;
    }
    const comparisons = (comparison ?? '').startsWith('no file') ? [] : (comparison ?? '').split(' || ').map(parseComparison);
    entries.set(suite, { suite, area, tests: Number(tests), data: data ?? '', comparisons });
  }
  return entries;
}
