import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64UrlDecode, goBase64Decode, lenientBase64, pemDecode, pemDecodeAll, pemEncode, stdDecodeString } from './pem.js';

test('Go base64 decoding: results and error offsets', () => {
  const cases: [string, string | number][] = [
    ['Zm9vYmFy', 'foobar'],
    ['Zm9vYg==', 'foob'],
    ['Zm9vYmE=', 'fooba'],
    ['Zm9v\r\nYmFy', 'foobar'],
    ['', ''],
    ['foobar', 4], // two dangling characters: the quantum is incomplete
    ['Zm9vY', 4],
    ['Zm9v!mFy', 4],
    ['Zm9vYg=', 7], // one padding character where two are needed
    ['Zm9vYg=x', 6],
    ['Zm9vYg==Zm9v', 8], // data after padding
    ['Zm=v', 2],
    ['=m9v', 0],
  ];
  for (const [input, want] of cases) {
    if (typeof want === 'string') {
      assert.equal(stdDecodeString(input).toString('latin1'), want, input);
    } else {
      assert.throws(() => stdDecodeString(input), { message: `illegal base64 data at input byte ${want}` }, input);
    }
  }
});

test('URL alphabet and OPA base64url padding rules', () => {
  assert.deepEqual(goBase64Decode(Buffer.from('-_8='), true), Buffer.from([0xfb, 0xff]));
  assert.throws(() => goBase64Decode(Buffer.from('+/8='), true), { message: 'illegal base64 data at input byte 0' });
  const cases: [string, string | RegExp][] = [
    ['eyJhIjoxfQ', '{"a":1}'],
    ['e30', '{}'],
    ['e30=', '{}'],
    ['abcde', /^illegal base64url string: abcde$/],
    ['ab(d', /^illegal base64 data at input byte 2$/],
  ];
  for (const [input, want] of cases) {
    if (typeof want === 'string') assert.equal(base64UrlDecode(input).toString('utf8'), want, input);
    else assert.throws(() => base64UrlDecode(input), { message: want }, input);
  }
});

test('lenient JWK member decoding accepts either alphabet, with or without padding', () => {
  const cases: [string, number[] | null][] = [
    ['AQAB', [1, 0, 1]],
    ['-_8', [0xfb, 0xff]],
    ['+/8=', [0xfb, 0xff]],
    ['a', null],
    ['a$b', null],
  ];
  for (const [input, want] of cases) {
    const got = lenientBase64(input);
    assert.deepEqual(got === null ? null : [...got], want, input);
  }
});

const BODY = Buffer.from('hello pem world').toString('base64');

test('PEM decoding follows encoding/pem', () => {
  const cases: { name: string; input: string; type?: string; rest?: string; none?: boolean }[] = [
    { name: 'plain block', input: `-----BEGIN X-----\n${BODY}\n-----END X-----\n`, type: 'X', rest: '' },
    {
      name: 'CRLF and leading text',
      input: `junk\r\n-----BEGIN X-----\r\n${BODY}\r\n-----END X-----\r\ntail`,
      type: 'X',
      rest: 'tail',
    },
    { name: 'headers', input: `-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\n\n${BODY}\n-----END X-----`, type: 'X', rest: '' },
    { name: 'mismatched end type', input: `-----BEGIN X-----\n${BODY}\n-----END Y-----\n`, none: true },
    { name: 'bad base64 body', input: '-----BEGIN X-----\n!!!!\n-----END X-----\n', none: true },
    { name: 'no end line', input: `-----BEGIN X-----\n${BODY}\n`, none: true },
    { name: 'trailing garbage on end line', input: `-----BEGIN X-----\n${BODY}\n-----END X----- x\n`, none: true },
    { name: 'not pem', input: 'just text', none: true },
  ];
  for (const c of cases) {
    const [block, rest] = pemDecode(Buffer.from(c.input));
    if (c.none) {
      assert.equal(block, null, c.name);
      assert.equal(rest.toString(), c.input, c.name);
      continue;
    }
    assert.ok(block, c.name);
    assert.equal(block.type, c.type, c.name);
    assert.equal(block.bytes.toString(), 'hello pem world', c.name);
    assert.equal(rest.toString(), c.rest, c.name);
  }
  const [withHeaders] = pemDecode(Buffer.from(`-----BEGIN X-----\nA: b\n\n${BODY}\n-----END X-----`));
  assert.equal(withHeaders?.headers.get('A'), 'b');
});

test('pemEncode round-trips through pemDecodeAll', () => {
  const a = Buffer.alloc(100, 7);
  const b = Buffer.from('second');
  const text = Buffer.concat([pemEncode('ONE', a), pemEncode('TWO', b)]);
  const blocks = pemDecodeAll(text);
  assert.deepEqual(
    blocks.map((x) => [x.type, x.bytes.toString('hex')]),
    [
      ['ONE', a.toString('hex')],
      ['TWO', b.toString('hex')],
    ],
  );
  // Lines are wrapped at 64 columns.
  assert.ok(
    text
      .toString()
      .split('\n')
      .every((l) => l.length <= 64),
  );
});
