/**
 * A conformance suite: a setup, then tests that are either rows of a CSV filled into a
 * query template, or static queries with their own checks. Tests whose outcome depends on
 * behaviour specific to EHRbase are listed with the reason and reported apart.
 */
import { readCsv, type Comparison, type IndexEntry } from './data.js';
import { fill, resolveCell, transported, type Harness, type Outcome, type Vars } from './harness.js';
import type { Setup } from './setups.js';

export interface CsvSuite {
  readonly kind: 'csv';
  readonly id: string;
  readonly setup: Setup;
  readonly perTest?: boolean;
  /** The query; `${column}` are CSV columns. */
  readonly template: string;
  /** Rows expected: the CSV's nr_of_results (default when the column exists), a number, or none. */
  readonly count?: number | 'none';
  /** Compare with the row's expected file (default: when the index names a comparison). */
  readonly file?: boolean;
  readonly body?: (row: Vars) => Record<string, unknown>;
  readonly check?: (row: Vars, body: Record<string, unknown>, h: Harness) => string | undefined;
  /** 1-based CSV row -> why the row depends on EHRbase's own behaviour. */
  readonly exceptions?: Readonly<Record<number, string>>;
}

export interface StaticTest {
  readonly name: string;
  readonly query?: (vars: Vars) => string;
  readonly count?: number;
  /** Expected file (in the suite's area folder unless `area` is given). */
  readonly expected?: string;
  readonly area?: string;
  /** Index into the suite's comparisons in the index (default 0). */
  readonly comparison?: number;
  readonly body?: Record<string, unknown>;
  readonly check?: (body: Record<string, unknown>, h: Harness) => string | undefined;
  readonly expectError?: { readonly status: number; readonly contains: string };
  /** A test that is more than one query. */
  readonly run?: (h: Harness) => Promise<Outcome>;
  readonly exception?: string;
}

export interface StaticSuite {
  readonly kind: 'static';
  readonly id: string;
  readonly setup: Setup;
  readonly perTest?: boolean;
  /** Folder of the expected files below fields_and_results. */
  readonly area: string;
  readonly tests: readonly StaticTest[];
}

export type Suite = CsvSuite | StaticSuite;

export interface TestResult {
  readonly suite: string;
  readonly test: string;
  readonly outcome: Outcome;
  /** Why the test depends on EHRbase's own behaviour, when listed. */
  readonly exception?: string;
}

export async function runSuite(suite: Suite, index: IndexEntry, h: Harness): Promise<TestResult[]> {
  const results: TestResult[] = [];
  const prepare = async (): Promise<void> => {
    await h.reset();
    await suite.setup(h);
  };
  if (!suite.perTest) {
    await prepare();
  }
  if (suite.kind === 'csv') {
    const [area, ...rest] = index.data.split('/combinations/')[0]!.split('/');
    const folder = [area, ...rest].join('/');
    const csv = index.data.split('/combinations/')[1] as string;
    const rows = readCsv(folder, csv);
    for (const [i, raw] of rows.entries()) {
      if (suite.perTest) {
        await prepare();
      }
      const row: Vars = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, resolveCell(v, h.vars)]));
      const q = transported(fill(suite.template, { ...h.vars, ...row }));
      const count = suite.count === 'none' ? undefined : (suite.count ?? (row.nr_of_results !== undefined && row.nr_of_results !== '' ? Number(row.nr_of_results) : undefined));
      const comparison = index.comparisons[0];
      const useFile = (suite.file ?? comparison !== undefined) && row.expected_file;
      const outcome = await h.judge(q, {
        ...(suite.body ? { extra: suite.body(row) } : {}),
        count,
        expected: useFile && comparison ? { area: folder, file: row.expected_file as string, comparison, vars: row } : undefined,
        ...(suite.check ? { check: (body: Record<string, unknown>) => suite.check?.(row, body, h) } : {}),
      });
      const exception = suite.exceptions?.[i + 1];
      results.push({ suite: suite.id, test: `row ${i + 1}: ${q.slice(0, 160)}`, outcome, ...(exception ? { exception } : {}) });
    }
    return results;
  }
  for (const test of suite.tests) {
    if (suite.perTest) {
      await prepare();
    }
    let outcome: Outcome;
    try {
      if (test.run) {
        outcome = await test.run(h);
      } else {
        const q = (test.query as (vars: Vars) => string)(h.vars);
        const comparison: Comparison | undefined = index.comparisons[test.comparison ?? 0];
        outcome = await h.judge(q, {
          ...(test.body ? { extra: test.body } : {}),
          count: test.count,
          expected: test.expected && comparison ? { area: test.area ?? suite.area, file: test.expected, comparison } : undefined,
          ...(test.check ? { check: (body: Record<string, unknown>) => test.check?.(body, h) } : {}),
          ...(test.expectError ? { expectError: test.expectError } : {}),
        });
      }
    } catch (error) {
      outcome = { status: 'fail', message: (error as Error).message };
    }
    results.push({ suite: suite.id, test: test.name, outcome, ...(test.exception ? { exception: test.exception } : {}) });
  }
  return results;
}
