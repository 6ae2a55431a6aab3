import assert from 'node:assert/strict';
import { formatVersionUid, parseUidBasedId, parseVersionUid, tryParseVersionUid } from './ids.js';
import { CdrError } from './errors.js';

describe('rm ids', () => {
  it('parses and formats version uids', () => {
    const uid = '8849182c-82ad-4088-a07f-48ead4180515::my.system::3';
    const parsed = parseVersionUid(uid);
    assert.deepEqual(parsed, { objectId: '8849182c-82ad-4088-a07f-48ead4180515', systemId: 'my.system', version: 3 });
    assert.equal(formatVersionUid(parsed), uid);
  });

  it('refuses malformed version uids with a 400', () => {
    assert.equal(tryParseVersionUid('8849182c-82ad-4088-a07f-48ead4180515::sys::0'), undefined);
    assert.equal(tryParseVersionUid('not-a-uuid::sys::1'), undefined);
    assert.throws(() => parseVersionUid('abc'), (e: unknown) => e instanceof CdrError && e.status === 400);
  });

  it('tells object ids from version uids', () => {
    assert.equal(parseUidBasedId('8849182C-82AD-4088-A07F-48EAD4180515').kind, 'object');
    assert.equal(parseUidBasedId('8849182c-82ad-4088-a07f-48ead4180515::s::1').kind, 'version');
  });
});
