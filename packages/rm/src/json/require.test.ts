import assert from 'node:assert/strict';
import { CdrError } from '../errors.js';
import { at, vitalSignsComposition } from '../testing/fixtures.js';
import { requireRmObject } from './require.js';

function statusOf(action: () => unknown): number | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return error instanceof CdrError ? error.status : -1;
  }
}

describe('rm API boundary for canonical JSON', () => {
  it('returns a conforming object unchanged', () => {
    const composition = vitalSignsComposition();
    assert.equal(requireRmObject(composition, 'COMPOSITION'), composition);
  });

  it('answers 400 for a body that is not an object or names another top-level type', () => {
    assert.equal(statusOf(() => requireRmObject([], 'COMPOSITION')), 400);
    assert.equal(statusOf(() => requireRmObject('x', 'COMPOSITION')), 400);
    assert.equal(statusOf(() => requireRmObject({ ...vitalSignsComposition(), _type: 'EHR_STATUS' }, 'COMPOSITION')), 400);
    assert.equal(statusOf(() => requireRmObject({ ...vitalSignsComposition(), _type: 'NOT_A_CLASS' }, 'COMPOSITION')), 400);
    assert.equal(statusOf(() => requireRmObject({ uid: {} }, 'VERSION')), 400);
  });

  it('answers 422 with every issue for an object that breaks the RM', () => {
    const composition = vitalSignsComposition();
    delete composition['language'];
    delete at(composition, 'composer')['_type'];
    try {
      requireRmObject(composition, 'COMPOSITION');
      assert.fail('expected a CdrError');
    } catch (error) {
      assert.ok(error instanceof CdrError);
      assert.equal(error.status, 422);
      assert.deepEqual(
        error.issues.map((i) => i.path),
        ['/language', '/composer'],
      );
    }
  });

  it('accepts a top-level object without _type when the expected type is concrete', () => {
    const composition = vitalSignsComposition();
    delete composition['_type'];
    assert.doesNotThrow(() => requireRmObject(composition, 'COMPOSITION'));
  });
});
