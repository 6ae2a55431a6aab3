/**
 * The EHRbase AQL conformance data set replayed against this CDR, as
 * ../shared/docs/AQL-CONFORMANCE-SETUP.md describes it: per suite an empty store, the setup
 * through our HTTP API, placeholders bound, results compared as the suites do. Tests that
 * depend on behaviour specific to EHRbase are listed in the suite files with the reason.
 * Prints the counts per area.
 */
import { describeShared } from '@cdr/rm/testing/shared';
import { startTestCdr, type TestCdr } from '../testing/test-app.js';
import { readSuiteIndex, type IndexEntry } from './conformance/data.js';
import { Harness, REFUSED_COMPOSITIONS } from './conformance/harness.js';
import { allSuites } from './conformance/suites.js';
import { runSuite, type TestResult } from './conformance/suite.js';

describeShared('AQL conformance: the EHRbase AQL data set', function (this: Mocha.Suite) {
  this.timeout(120_000);
  let cdr: TestCdr;
  let harness: Harness;
  let index: Map<string, IndexEntry>;
  const results: TestResult[] = [];

  before(async () => {
    cdr = await startTestCdr({ isolated: true });
    harness = new Harness(cdr.app, cdr.db, cdr.store);
    index = readSuiteIndex();
  });
  after(async () => {
    report(results);
    for (const file of harness?.loadedDirectly ?? []) {
      console.log(`  loaded through the store, refused by the API: ${file} (${REFUSED_COMPOSITIONS[file]})`);
    }
    await cdr?.close();
  });

  for (const suite of allSuites) {
    it(suite.id, async () => {
      const entry = index.get(suite.id);
      if (!entry) {
        throw new Error(`${suite.id} is not in the suite index`);
      }
      const ran = await runSuite(suite, entry, harness);
      results.push(...ran);
      const failed = ran.filter((r) => r.outcome.status === 'fail' && !r.exception);
      if (failed.length > 0) {
        throw new Error(
          `${failed.length} of ${ran.length} failed:\n${failed.map((r) => `- ${r.test}\n    ${(r.outcome as { message: string }).message}`).join('\n')}`,
        );
      }
    });
  }
});

function report(results: readonly TestResult[]): void {
  const areas = new Map<string, { total: number; checked: number; refused: number; skipped: number; exceptions: number; failed: number }>();
  for (const result of results) {
    const area = result.suite.split('/')[0] as string;
    const counts = areas.get(area) ?? { total: 0, checked: 0, refused: 0, skipped: 0, exceptions: 0, failed: 0 };
    counts.total += 1;
    if (result.exception) {
      counts.exceptions += 1;
    } else if (result.outcome.status === 'pass') {
      counts.checked += 1;
    } else if (result.outcome.status === 'refused') {
      counts.refused += 1;
    } else if (result.outcome.status === 'skip') {
      counts.skipped += 1;
    } else {
      counts.failed += 1;
    }
    areas.set(area, counts);
  }
  const lines = [...areas].map(
    ([area, c]) =>
      `  ${area.padEnd(20)} ${String(c.checked + c.refused).padStart(4)} of ${String(c.total - c.exceptions).padStart(4)} pass` +
      ` (${c.refused} by refusing a construct)${c.skipped ? `, ${c.skipped} skipped` : ''}${c.failed ? `, ${c.failed} FAILED` : ''}` +
      `${c.exceptions ? `; ${c.exceptions} listed as EHRbase-specific` : ''}`,
  );
  console.log(`\nAQL conformance (EHRbase data set), per area:\n${lines.join('\n')}`);
}
