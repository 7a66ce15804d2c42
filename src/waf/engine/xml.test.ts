import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeXmlEntities, parseXml, selectXPath } from './xml.js';

const SOAP = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <q id="1" kind='x&amp;y'>hello &lt;b&gt; world</q>
    <q id="2"><![CDATA[<script>alert(1)</script>]]></q>
    <empty/>
  </soap:Body>
</soap:Envelope>`;

test('XML: text nodes and attribute values', () => {
  const doc = parseXml(SOAP);
  assert.equal(doc.error, undefined);
  assert.deepEqual(doc.texts, ['hello <b> world', '<script>alert(1)</script>']);
  assert.deepEqual(doc.attrValues, ['http://schemas.xmlsoap.org/soap/envelope/', '1', 'x&y', '2']);
});

test('XML: XPath subset', async (t) => {
  const doc = parseXml(SOAP);
  const cases: [string, string[]][] = [
    ['/*', ['hello <b> world', '<script>alert(1)</script>']],
    ['//@*', ['http://schemas.xmlsoap.org/soap/envelope/', '1', 'x&y', '2']],
    ['//@id', ['1', '2']],
    ['//q', ['hello <b> world', '<script>alert(1)</script>']],
    ['//q/@kind', ['x&y']],
    ['/soap:Envelope/soap:Body/q', ['hello <b> world', '<script>alert(1)</script>']],
    ['/soap:Envelope/*/empty', ['']],
    ['/other', []],
    ['count(//q)', []],
  ];
  for (const [xpath, want] of cases) {
    await t.test(xpath, () => assert.deepEqual(selectXPath(doc, xpath), want));
  }
});

test('XML: malformed documents report an error, keep what was read', async (t) => {
  const cases: [string, string, RegExp, string[]][] = [
    ['mismatched end tag', '<a><b>x</a>', /mismatched/, ['x']],
    ['unclosed element', '<a><b>x</b>', /unclosed/, ['x']],
    ['two roots', '<a/><b/>', /more than one root/, []],
    ['text outside root', 'junk<a/>', /outside the root/, []],
    ['unquoted attribute', '<a x=1/>', /unquoted/, []],
    ['empty', '', /no root/, []],
    ['not XML', '{"a":1}', /outside the root|no root/, []],
  ];
  for (const [what, input, re, texts] of cases) {
    await t.test(what, () => {
      const doc = parseXml(input);
      assert.match(doc.error ?? '', re);
      assert.deepEqual(doc.texts, texts);
    });
  }
});

test('XML: DTDs are skipped, entities never expanded (no XXE)', () => {
  const doc = parseXml('<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;&#65;&#x42;</a>');
  assert.equal(doc.error, undefined);
  assert.deepEqual(doc.texts, ['&xxe;AB']);
  assert.equal(decodeXmlEntities('&#233;&bogus;&#0;'), '\xc3\xa9&bogus;&#0;');
});

test('XML: deep nesting is bounded, no stack overflow', () => {
  const doc = parseXml(`${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`);
  assert.match(doc.error ?? '', /too deep/);
});

test('XML: the number of inspected values is bounded', () => {
  const doc = parseXml(`<r>${'<a k="v">t</a>'.repeat(50)}</r>`, 10);
  assert.equal(doc.texts.length, 10);
  assert.equal(doc.attrValues.length, 10);
  assert.match(doc.error ?? '', /more than 10/);
});
