import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Der, parseIntegerBytes, parseOID, rightAlign, parseBitString } from './der.js';
import { goURLString, parseGoURL } from './gourl.js';

test('DER integers are two’s complement and minimally encoded', () => {
  const cases: [string, bigint | null][] = [
    ['00', 0n],
    ['7f', 127n],
    ['0080', 128n],
    ['ff', -1n],
    ['ff7f', -129n],
    ['0001', null],
    ['ff80', null],
    ['', null],
  ];
  for (const [hex, want] of cases) assert.equal(parseIntegerBytes(Buffer.from(hex, 'hex')), want, hex);
});

test('DER lengths: short, long, and rejected forms', () => {
  const cases: [string, number | null][] = [
    ['0401aa', 1],
    [`0481${'80'}${'00'.repeat(128)}`, 128],
    ['048101aa', null], // long form for a short length
    ['0480aa', null], // indefinite length
    ['0402aa', null], // runs past the end
  ];
  for (const [hex, want] of cases) {
    const e = new Der(Buffer.from(hex, 'hex')).read(0x04);
    assert.equal(e === null ? null : e.body.length, want, hex);
  }
});

test('OIDs and bit strings', () => {
  assert.deepEqual(parseOID(Buffer.from('2a864886f70d01010b', 'hex')), [1, 2, 840, 113549, 1, 1, 11]);
  assert.deepEqual(parseOID(Buffer.from('8837', 'hex')), [2, 999]);
  assert.equal(parseOID(Buffer.from('2a80', 'hex')), null, 'truncated arc');
  assert.equal(parseOID(Buffer.from('2a8001', 'hex')), null, 'non-minimal arc');
  const bs = parseBitString(Buffer.from([0x04, 0xab, 0xc0]));
  assert.ok(bs);
  assert.equal(bs.bitLength, 12);
  assert.deepEqual([...rightAlign(bs)], [0x0a, 0xbc]);
  assert.equal(parseBitString(Buffer.from([0x01, 0x01])), null, 'padding bits must be zero');
  assert.equal(parseBitString(Buffer.from([0x08, 0x00])), null, 'at most 7 padding bits');
});

test('URLs as net/url parses and prints them', () => {
  const cases: [string, Partial<ReturnType<typeof parseGoURL>>, string][] = [
    ['spiffe://example.com/ns/a', { scheme: 'spiffe', host: 'example.com', path: '/ns/a' }, 'spiffe://example.com/ns/a'],
    ['HTTPS://h/p?q=1#f', { scheme: 'https', rawQuery: 'q=1', fragment: 'f' }, 'https://h/p?q=1#f'],
    ['urn:ietf:rfc:3986', { scheme: 'urn', opaque: 'ietf:rfc:3986' }, 'urn:ietf:rfc:3986'],
    ['file:/etc/hosts', { scheme: 'file', omitHost: true, path: '/etc/hosts' }, 'file:/etc/hosts'],
    ['x://h/a%20b', { path: '/a b', rawPath: '' }, 'x://h/a%20b'],
    ['x://h/a?', { forceQuery: true }, 'x://h/a?'],
  ];
  for (const [raw, fields, printed] of cases) {
    const u = parseGoURL(raw);
    for (const [k, v] of Object.entries(fields)) assert.deepEqual(u[k as keyof typeof u], v, `${raw} ${k}`);
    assert.equal(goURLString(u), printed, raw);
  }
  const bad: [string, string][] = [
    [':x', 'missing protocol scheme'],
    ['a:b/%zz', ''],
    ['x://h/%zz', 'invalid URL escape "%zz"'],
    ['x://h:port/', 'invalid port ":port" after host'],
    ['a\u0001b', 'net/url: invalid control character in URL'],
  ];
  for (const [raw, msg] of bad) {
    if (msg === '')
      assert.doesNotThrow(() => parseGoURL(raw), raw); // opaque parts are not unescaped
    else assert.throws(() => parseGoURL(raw), { message: msg }, raw);
  }
});
