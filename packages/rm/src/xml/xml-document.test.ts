import assert from 'node:assert/strict';
import { CdrError } from '../errors.js';
import { readXmlDocument } from './xml-document.js';

function refusal(xml: string, options = {}): CdrError {
  try {
    readXmlDocument(xml, options);
  } catch (error) {
    if (error instanceof CdrError) {
      return error;
    }
    throw error;
  }
  assert.fail('the document was accepted');
}

describe('rm hardened XML reading', () => {
  it('refuses a DOCTYPE, and with it entity expansion, naming line and column', () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<composition>&lol2;</composition>`;
    const error = refusal(laughs);
    assert.equal(error.status, 400);
    assert.match(error.message, /line 2, column 1: DOCTYPE/);
    assert.equal(refusal('<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>').status, 400);
  });

  it('refuses entities other than the predefined ones and bad character references', () => {
    assert.match(refusal('<a>caf&eacute;</a>').message, /line 1, column 7/);
    assert.equal(refusal('<a>fish & chips</a>').status, 400);
    assert.equal(refusal('<a>&#0;</a>').status, 400);
    assert.equal(refusal('<a>&#xD800;</a>').status, 400);
  });

  it('decodes predefined entities and character references, and keeps CDATA verbatim', () => {
    const root = readXmlDocument('<a x="1 &lt; 2">&lt;&amp;&gt;&quot;&apos; &#169; &#x41; <![CDATA[<b>&amp;</b>]]></a>');
    assert.equal(root.text, `<&>"' © A <b>&amp;</b>`);
    assert.equal(root.attributes[0]?.value, '1 < 2');
  });

  it('skips comments and processing instructions, whatever they contain', () => {
    const root = readXmlDocument('<?xml version="1.0"?><!-- <!DOCTYPE x> & --><?pi stuff?><a><!-- & --><b>1</b></a>');
    assert.equal(root.children[0]?.text, '1');
  });

  it('reports malformed XML with line and column', () => {
    const error = refusal('<a>\n  <b>\n</a>');
    assert.equal(error.status, 400);
    assert.match(error.message, /Malformed XML at line 3, column \d+/);
    assert.equal(refusal('<a/><b/>').status, 400);
    assert.equal(refusal('').status, 400);
    assert.equal(refusal('<p:a/>').status, 400);
  });

  it('refuses documents over the size limit with a 413', () => {
    assert.equal(refusal(`<a>${'x'.repeat(200)}</a>`, { maxBytes: 100 }).status, 413);
    // 40 characters of three UTF-8 bytes each are 127 bytes with the tags
    assert.equal(refusal(`<a>${'€'.repeat(40)}</a>`, { maxBytes: 100 }).status, 413);
    assert.doesNotThrow(() => readXmlDocument(`<a>${'€'.repeat(20)}</a>`, { maxBytes: 100 }));
  });

  it('refuses element nesting deeper than any RM document needs', () => {
    const deep = `${'<a>'.repeat(2000)}${'</a>'.repeat(2000)}`;
    assert.equal(refusal(deep).status, 400);
    assert.doesNotThrow(() => readXmlDocument(`${'<a>'.repeat(200)}${'</a>'.repeat(200)}`));
  });

  it('resolves namespaces whatever the prefix', () => {
    const root = readXmlDocument(
      '<o:composition xmlns:o="http://schemas.openehr.org/v1" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><o:uid i:type="o:HIER_OBJECT_ID"/></o:composition>',
    );
    assert.equal(root.localName, 'composition');
    assert.equal(root.namespace, 'http://schemas.openehr.org/v1');
    assert.deepEqual(root.children[0]?.attributes, [
      { localName: 'type', namespace: 'http://www.w3.org/2001/XMLSchema-instance', value: 'o:HIER_OBJECT_ID' },
    ]);
  });
});
