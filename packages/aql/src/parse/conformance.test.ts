import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCdrError } from '@cdr/rm';
import { describeShared, sharedPath } from '@cdr/rm/testing/shared';
import { formatAql } from '../ast/printer.js';
import { prepareAql } from '../check/check.js';
import { shape } from '../testing/ast-shape.js';
import { loadConformanceQueries, parseCsvChecked } from '../testing/conformance-queries.js';
import type { ConformanceQuery } from '../testing/conformance-queries.js';
import { parseAql } from './parse.js';

/**
 * Constructs some queries of the public data sets use although they are not AQL 1.1
 * (EHRbase passes parts of WHERE through to SQL). Queries using them must be refused
 * with a located 400; every other query must parse.
 */
const OUTSIDE_AQL: readonly (readonly [RegExp, string])[] = [
  [/\bIN\s*\(/i, 'IN (...)'],
  [/\bIS\s+(?:NOT\s+)?(?:NULL|TRUE|FALSE|UNKNOWN)\b/i, 'IS [NOT] NULL/TRUE/FALSE/UNKNOWN'],
  [/\bIS\s+(?:NOT\s+)?DISTINCT\s+FROM\b/i, 'IS DISTINCT FROM'],
  [/\b(?:ANY|SOME|ALL)\s*\(/i, 'ANY/SOME/ALL (...)'],
  [/\bAND\s+NOT\s+CONTAINS\b/i, 'AND NOT CONTAINS'],
  [/\bWHERE\s+-?[\d.]+\s+MATCHES\b/i, 'a number on the left of MATCHES'],
  [/\bBETWEEN\b/i, 'BETWEEN'],
  [/\b(?:ILIKE|SIMILAR\s+TO)\b/i, 'ILIKE, SIMILAR TO'],
  [/\bCAST\s*\(/i, 'CAST(... AS ...)'],
  [/\bLIMIT\s+\d+(?:\s+OFFSET\s+\d+)?\s+ORDER\s+BY\b/i, 'LIMIT before ORDER BY'],
];

function outsideAql(text: string): string | undefined {
  return OUTSIDE_AQL.find(([pattern]) => pattern.test(text))?.[1];
}

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

interface Outcome {
  readonly query: ConformanceQuery;
  readonly error: unknown;
}

function parseAll(queries: readonly ConformanceQuery[]): Outcome[] {
  return queries.map((query) => ({ query, error: errorOf(() => parseAql(query.text)) }));
}

function summary(label: string, outcomes: readonly Outcome[]): string {
  const failed = outcomes.filter((outcome) => outcome.error !== undefined);
  const lines = [`${label}: ${outcomes.length - failed.length}/${outcomes.length} queries parse`];
  for (const { query, error } of failed) {
    lines.push(`  - ${query.source}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return lines.join('\n');
}

function assertParsesUnlessOutsideAql(outcomes: readonly Outcome[]): void {
  const unexpected = outcomes.filter(({ query, error }) => error !== undefined && !outsideAql(query.text));
  assert.deepEqual(
    unexpected.map(({ query, error }) => `${query.source}: ${(error as Error).message}`),
    [],
    'AQL 1.1 queries that did not parse',
  );
}

function assertRefusalsAreLocated(outcomes: readonly Outcome[]): void {
  for (const { query, error } of outcomes) {
    if (error === undefined) {
      continue;
    }
    assert.ok(isCdrError(error), `${query.source}: ${String(error)}`);
    assert.equal(error.status, 400, query.source);
    assert.match(error.issues[0]?.path ?? '', /^line \d+, column \d+$/, query.source);
  }
}

function assertRoundTrip(outcomes: readonly Outcome[]): void {
  for (const { query, error } of outcomes) {
    if (error !== undefined) {
      continue;
    }
    const parsed = parseAql(query.text);
    const printed = formatAql(parsed);
    // The column source text keeps the query's own spelling, so it is left out here.
    const omit = ['position', 'source'];
    assert.deepEqual(shape(parseAql(printed), omit), shape(parsed, omit), `${query.source}\n  printed as: ${printed}`);
  }
}

describeShared('AQL conformance queries (ehrbase integration tests)', () => {
  const data = loadConformanceQueries(
    sharedPath('testdata', 'ehrbase-integration-tests', 'test_data_sets', 'aql', 'fields_and_results'),
  );
  const outcomes = parseAll(data.queries);

  after(() => {
    console.log(summary('AQL conformance set', outcomes));
    if (data.unbound.length > 0) {
      console.log(`  (not materialised, no CSV row fills their placeholders: ${data.unbound.join(', ')})`);
    }
  });

  it('materialises the queries of the data set', () => {
    assert.ok(data.queries.length > 900, `only ${data.queries.length} queries found`);
    const leftovers = data.queries.filter((query) => /\$\{\w+\}/.test(query.text));
    assert.deepEqual(leftovers.map((query) => query.source), []);
  });

  it('parses every query written in AQL 1.1', () => {
    assertParsesUnlessOutsideAql(outcomes);
  });

  it('refuses the queries outside AQL 1.1 with a 400 located by line and column', () => {
    assert.ok(outcomes.some(({ error }) => error !== undefined));
    assertRefusalsAreLocated(outcomes);
  });

  it('prints every parsed query back to AQL that parses to the same tree', () => {
    assertRoundTrip(outcomes);
  });

  it('checks the parsed queries; what the checks refuse is a located 400', () => {
    const parsed = outcomes.filter(({ error }) => error === undefined);
    const refused = parsed
      .map(({ query }) => ({ query, error: errorOf(() => prepareAql(query.text)) }))
      .filter(({ error }) => error !== undefined);
    assertRefusalsAreLocated(refused);
    console.log(`AQL conformance set: ${parsed.length - refused.length}/${parsed.length} parsed queries pass the checks`);
    for (const { query, error } of refused) {
      console.log(`  - ${query.source}: ${(error as Error).message}`);
    }
    // Every refusal names a construct outside AQL 1.1 (a literal on the left of MATCHES here).
    assert.deepEqual(
      refused.filter(({ query }) => !outsideAql(query.text)).map(({ query, error }) => `${query.source}: ${(error as Error).message}`),
      [],
    );
  });
});

/** The openEHR_SDK "arbitrary" sets: a SELECT ... FROM file plus WHERE conditions, or whole queries. */
function loadSdkQueries(dir: string): ConformanceQuery[] {
  const queries: ConformanceQuery[] = [];
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.csv'))) {
    const lines = readFileSync(join(dir, name), 'utf8')
      .split(/\r?\n/)
      .map((line, index) => ({ line, number: index + 1 }))
      .filter(({ line }) => line.trim() !== '' && !line.trimStart().startsWith('#'));
    for (const { line, number } of lines) {
      const row = parseCsvChecked(line)?.[0];
      if (!row) {
        continue; // a double quote inside a quoted cell: the line is not readable as CSV
      }
      const [head, condition] = row.map((cell) => cell.trim());
      if (!condition) {
        continue;
      }
      const text = head ? `${readFileSync(join(dir, head), 'utf8').trim()} WHERE ${condition}` : condition;
      queries.push({ source: `${name}:${number}`, text });
    }
  }
  return queries;
}

describeShared('AQL queries of the openEHR SDK test sets', () => {
  const queries = loadSdkQueries(sharedPath('testdata', 'ehrbase-sdk', 'client-aql-testsets', 'arbitrary'));
  const outcomes = parseAll(queries);

  after(() => {
    console.log(summary('openEHR SDK arbitrary AQL sets', outcomes));
  });

  it('parses every query written in AQL 1.1', () => {
    assert.ok(queries.length > 20, `only ${queries.length} queries found`);
    assertParsesUnlessOutsideAql(outcomes);
  });

  it('refuses the others with a 400 located by line and column', () => {
    assertRefusalsAreLocated(outcomes);
  });

  it('prints every parsed query back to AQL that parses to the same tree', () => {
    assertRoundTrip(outcomes);
  });
});
