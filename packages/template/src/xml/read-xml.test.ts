import assert from 'node:assert/strict';
import { CdrError } from '@cdr/rm';
import { readXml } from './read-xml.js';

const refused = (pattern: RegExp) => (e: unknown) => e instanceof CdrError && e.status === 400 && pattern.test(e.message);

describe('hardened XML reading', () => {
  it('keeps element order, attributes without prefixes, text and lines', () => {
    const root = readXml('<?xml version="1.0"?>\n<a xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n  <b xsi:type="T">x &amp; y &#65;&#x42;</b>\n  <c/>\n</a>');
    assert.equal(root.name, 'a');
    assert.deepEqual(
      root.children.map((c) => [c.name, c.line]),
      [
        ['b', 3],
        ['c', 4],
      ],
    );
    assert.equal(root.children[0]?.attributes.type, 'T');
    assert.equal(root.children[0]?.text, 'x & y AB');
  });

  it('refuses DOCTYPE declarations, so no DTD or entity definitions are read', () => {
    const billionLaughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>';
    assert.throws(() => readXml(billionLaughs), refused(/DOCTYPE/));
    assert.throws(() => readXml('<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>'), refused(/DOCTYPE/));
  });

  it('refuses entities other than the predefined ones', () => {
    assert.throws(() => readXml('<a>&nbsp;</a>'), refused(/undefined entity '&nbsp;'/));
  });

  it('refuses documents above the size limit', () => {
    assert.throws(() => readXml(`<a>${'x'.repeat(2000)}</a>`, { maxBytes: 1000 }), refused(/too large/));
  });

  it('says where malformed XML breaks', () => {
    assert.throws(() => readXml('<a>\n<b></a>'), refused(/not well-formed.*line 2/));
    assert.throws(() => readXml(''), refused(/empty/));
  });
});
