/**
 * Locates the shared reference material and public test data (`../shared` beside the
 * project root). Tests that need it call `describeShared`, which skips them with a
 * message when the folder is absent, unless CDR_REQUIRE_SHARED=1 makes absence a failure.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: four levels above this compiled file (packages/rm/dist/testing). */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export function sharedRoot(): string | undefined {
  const configured = process.env.CDR_SHARED_DIR;
  const candidate = configured ? resolve(configured) : resolve(projectRoot, '..', 'shared');
  return existsSync(join(candidate, 'testdata')) ? candidate : undefined;
}

export function requireShared(): boolean {
  return process.env.CDR_REQUIRE_SHARED === '1';
}

/** A path inside ../shared; only call it inside a `describeShared` block. */
export function sharedPath(...parts: string[]): string {
  const root = sharedRoot();
  if (!root) {
    throw new Error('../shared is not present');
  }
  return join(root, ...parts);
}

let warned = false;

/**
 * Like mocha's `describe`, for suites that read `../shared`. Without the folder the
 * suite is skipped (and says so once), or fails when CDR_REQUIRE_SHARED=1.
 */
export function describeShared(title: string, body: () => void): void {
  if (sharedRoot()) {
    describe(title, body);
    return;
  }
  if (requireShared()) {
    describe(title, () => {
      it('needs ../shared (CDR_REQUIRE_SHARED=1)', () => {
        throw new Error(`../shared was not found beside ${projectRoot}; CDR_REQUIRE_SHARED=1 makes this a failure`);
      });
    });
    return;
  }
  if (!warned) {
    warned = true;
    console.warn(`[tests] ../shared not found beside ${projectRoot}: suites that replay public test data are skipped`);
  }
  // The body is not run at all: it may read ../shared while declaring its tests.
  describe(title, () => {
    it('skipped: ../shared is not present beside the project');
  });
}
