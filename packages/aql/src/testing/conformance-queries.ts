/**
 * Test support: the AQL queries of the public EHRbase conformance data set, materialised
 * the way the suites send them (../shared/docs/AQL-CONFORMANCE-SETUP.md, section 1.4):
 * the `q` of every expected-result file, with CSV placeholders filled from each CSV row
 * that names the file, and setup variables (ids, uids, times) bound to values of the
 * right shape. Reads files, so it is only for tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

export interface ConformanceQuery {
  /** Where the query comes from: the expected file, and the CSV row when one filled it. */
  readonly source: string;
  readonly text: string;
}

export interface ConformanceQueries {
  readonly queries: readonly ConformanceQuery[];
  /** Expected files whose `q` has CSV placeholders that no CSV row fills. */
  readonly unbound: readonly string[];
}

/** Values of the shape the suites capture at run time (§1.3). */
const SETUP_VALUES: Readonly<Record<string, string>> = {
  EMPTY: '',
  TRUE: 'True',
  system_id_with_tenant: 'local.ehrbase.org',
  tenant_id_from_system_id: 'local.',
  ehr_time_created: '2024-05-06T07:08:09.123456+02:00',
};

/** A stable UUID-shaped value per variable name, so different variables get different ids. */
function uuidFor(name: string): string {
  let hash = 2166136261;
  for (const ch of name) {
    hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  }
  const hex = hash.toString(16).padStart(8, '0');
  return `${hex}-4a1b-4c2d-8e3f-${hex}${hex.slice(0, 4)}`;
}

export function setupValue(name: string): string {
  const fixed = SETUP_VALUES[name];
  if (fixed !== undefined) {
    return fixed;
  }
  if (/^(compo_uid|composition_uid|ehr_status_uid|ehr_status_id)/.test(name)) {
    const version = /_v(\d+)$/.exec(name)?.[1] ?? (name.endsWith('version2') ? '2' : '1');
    return `${uuidFor(name)}::local.ehrbase.org::${version}`;
  }
  if (name.startsWith('time_committed')) {
    return '2024-05-06T07:08:09.123+02:00';
  }
  if (name.includes('namespace')) {
    return 'namespace_1234567';
  }
  return uuidFor(name);
}

/** Excel-dialect CSV: comma separated, `"` quoting, `""` inside quotes. */
export function parseCsv(text: string): string[][] {
  return parseCsvChecked(text) ?? [];
}

/**
 * Like `parseCsv`, but undefined for malformed input: a closing quote followed by
 * anything but a comma or the end of the line.
 */
export function parseCsvChecked(text: string): string[][] | undefined {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          return undefined;
        }
      } else {
        cell += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') {
        i++;
      }
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += ch;
    }
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c !== ''));
}

const PLACEHOLDER = /\$\{(\w+)\}/g;

/** A CSV cell as the suites resolve it: variables replaced, then backslash escapes removed. */
function resolveCell(cell: string): string {
  return cell.replace(PLACEHOLDER, (_, name: string) => setupValue(name)).replace(/\\(.)/g, '$1');
}

/** The query as the server receives it: the text is pasted into a JSON string unescaped. */
function asReceived(text: string): string {
  if (!text.includes('\\')) {
    return text;
  }
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

type Row = Readonly<Record<string, string>>;

/** Every query of `fields_and_results/` (the directory given), materialised. */
export function loadConformanceQueries(fieldsAndResults: string): ConformanceQueries {
  const files = walk(fieldsAndResults);
  const rowsByExpectedFile = new Map<string, { csv: string; line: number; row: Row }[]>();
  const queries: ConformanceQuery[] = [];

  for (const csv of files.filter((file) => file.endsWith('.csv'))) {
    const [header, ...rows] = parseCsv(readFileSync(csv, 'utf8'));
    const names = (header ?? []).map((cell) => cell.replace(/^\$\{|\}$/g, ''));
    rows.forEach((cells, index) => {
      const row: Record<string, string> = {};
      names.forEach((name, column) => {
        row[name] = resolveCell(cells[column] ?? '');
      });
      const line = index + 2;
      const expected = row.expected_file;
      if (expected) {
        const list = rowsByExpectedFile.get(expected) ?? [];
        list.push({ csv: relative(fieldsAndResults, csv), line, row });
        rowsByExpectedFile.set(expected, list);
      } else if (row.statement) {
        queries.push({ source: `${relative(fieldsAndResults, csv)}:${line}`, text: asReceived(row.statement) });
      }
    });
  }

  const unbound: string[] = [];
  for (const file of files.filter((name) => name.endsWith('.json'))) {
    const content = readFileSync(file, 'utf8');
    if (content.trim() === '') {
      continue; // expectations of "not supported" outcomes carry no query
    }
    const q = (JSON.parse(content) as { q?: unknown }).q;
    if (typeof q !== 'string') {
      continue;
    }
    const source = relative(fieldsAndResults, file);
    const names = [...q.matchAll(PLACEHOLDER)].map((match) => match[1] as string);
    const rows = rowsByExpectedFile.get(basename(file)) ?? [];
    const filledByRows = rows.filter(({ row }) => names.some((name) => name in row));
    if (filledByRows.length === 0) {
      if (!names.every(isSetupVariable)) {
        unbound.push(source);
        continue;
      }
      queries.push({ source, text: asReceived(q.replace(PLACEHOLDER, (_, name: string) => setupValue(name))) });
      continue;
    }
    for (const { csv, line, row } of filledByRows) {
      const text = q.replace(PLACEHOLDER, (_, name: string) => row[name] ?? setupValue(name));
      queries.push({ source: `${source} (${csv}:${line})`, text: asReceived(text) });
    }
  }
  return { queries, unbound };
}

/** Names from the variable catalogue (§1.3) that the suite setup binds, as opposed to CSV columns. */
function isSetupVariable(name: string): boolean {
  return SETUP_VALUES[name] !== undefined || /^(ehr_id\d*|c_uid\w*|compo_id|compo_uid\w*|composition_uid|ehr_status\w*|subject_external_ref\w*|at1_value_id\d|time_committed\w*|contribution_id\d*)$/.test(name);
}
