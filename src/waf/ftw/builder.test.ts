import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRequest, FtwInputError } from './builder.js';
import type { FtwHeader, FtwInput } from './types.js';

const H = (...pairs: [string, string][]): FtwHeader[] => pairs.map(([name, value]) => ({ name, value }));
const input = (o: Partial<FtwInput>): FtwInput => ({ headers: [], autocompleteHeaders: true, ...o });
const wire = (o: Partial<FtwInput>, uri?: string) => buildRequest(input(o), uri).bytes.toString('latin1');

test('request bytes are what go-ftw sends', async (t) => {
  const cases: [string, Partial<FtwInput>, string][] = [
    ['defaults: GET / HTTP/1.1 and Connection: close', {}, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n'],
    [
      'headers in the given order, written as name: value',
      { method: 'GET', uri: '/get?a=1', headers: H(['Host', 'localhost'], ['User-Agent', 'x']) },
      'GET /get?a=1 HTTP/1.1\r\nHost: localhost\r\nUser-Agent: x\r\nConnection: close\r\n\r\n',
    ],
    [
      'an existing Connection header is kept (any case)',
      { headers: H(['connection', 'keep-alive']) },
      'GET / HTTP/1.1\r\nconnection: keep-alive\r\n\r\n',
    ],
    [
      'data without Content-Type gets the form type and is url-encoded per key and value',
      { method: 'POST', data: 'a=b c&x=<script>&flag' },
      'POST / HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\nContent-Length: 25\r\n\r\na=b+c&x=%3Cscript%3E&flag',
    ],
    [
      'data containing % is sent as is (QueryUnescape would change it)',
      { method: 'POST', data: 'a=%27 or 1' },
      'POST / HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\nContent-Length: 10\r\n\r\na=%27 or 1',
    ],
    [
      'data containing + is sent as is',
      { method: 'POST', data: 'a=1+1 x' },
      'POST / HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\nContent-Length: 7\r\n\r\na=1+1 x',
    ],
    [
      'a form type with parameters is not encoded (go-ftw compares the whole value)',
      { method: 'POST', headers: H(['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']), data: 'a=<b>' },
      'POST / HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\nConnection: close\r\nContent-Length: 5\r\n\r\na=<b>',
    ],
    [
      'JSON data is sent verbatim',
      { method: 'POST', headers: H(['Content-Type', 'application/json']), data: '{"a": "<b>"}' },
      'POST / HTTP/1.1\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 12\r\n\r\n{"a": "<b>"}',
    ],
    [
      'non-ASCII data is sent as UTF-8 and encoded byte by byte',
      { method: 'POST', data: 'q=é' },
      'POST / HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\nContent-Length: 8\r\n\r\nq=%C3%A9',
    ],
    [
      'multipart bodies get CRLF line ends (an existing CRLF becomes CR CR LF, as in go-ftw)',
      { method: 'POST', headers: H(['Content-Type', 'multipart/form-data; boundary=x']), data: '--x\nA\r\n--x--\n' },
      'POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=x\r\nConnection: close\r\nContent-Length: 16\r\n\r\n--x\r\nA\r\r\n--x--\r\n',
    ],
    [
      'autocomplete off: nothing added, nothing encoded, multipart still CRLF',
      {
        method: 'POST',
        autocompleteHeaders: false,
        headers: H(['Content-Type', 'multipart/form-data; boundary=x']),
        data: '--x\n',
      },
      'POST / HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=x\r\n\r\n--x\r\n',
    ],
    [
      'autocomplete off keeps a form body as written',
      { method: 'POST', autocompleteHeaders: false, data: 'a=b c' },
      'POST / HTTP/1.1\r\n\r\na=b c',
    ],
    [
      'a given Content-Length is kept even when wrong',
      { method: 'POST', headers: H(['Content-Length', '99']), data: 'a=b' },
      'POST / HTTP/1.1\r\nContent-Length: 99\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\na=b',
    ],
    [
      'PUT without a body gets Content-Length: 0',
      { method: 'PUT' },
      'PUT / HTTP/1.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
    ],
    [
      "go-ftw's unanchored method regex: PATCHED counts as a method with a body",
      { method: 'PATCHED' },
      'PATCHED / HTTP/1.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
    ],
    ['GET without a body gets no Content-Length', { method: 'GET' }, 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n'],
    [
      'broken request lines are sent as written',
      { method: '     GET', uri: '/a b', version: '' },
      '     GET /a b \r\nConnection: close\r\n\r\n',
    ],
    [
      'the data template is expanded',
      { method: 'POST', autocompleteHeaders: false, data: 'x={{ "ab" | repeat 3 }}' },
      'POST / HTTP/1.1\r\n\r\nx=ababab',
    ],
    [
      'encoded_data is the body bytes',
      { method: 'POST', autocompleteHeaders: false, encodedData: Buffer.from([0x61, 0xff, 0x00]).toString('base64') },
      'POST / HTTP/1.1\r\n\r\na\xff\x00',
    ],
    [
      'encoded_request is sent verbatim, nothing added',
      { method: 'POST', encodedRequest: Buffer.from('GET /x HTTP/1.0\r\n\r\n').toString('base64') },
      'GET /x HTTP/1.0\r\n\r\n',
    ],
    [
      'encoded_request may be split over lines',
      {
        encodedRequest: `${Buffer.from('GET /x HTTP/1.0\r\n\r\n').toString('base64').slice(0, 8)}\n${Buffer.from('GET /x HTTP/1.0\r\n\r\n').toString('base64').slice(8)}`,
      },
      'GET /x HTTP/1.0\r\n\r\n',
    ],
    ['raw_request is sent as text', { rawRequest: 'GET / HTTP/1.0\r\n\r\n' }, 'GET / HTTP/1.0\r\n\r\n'],
  ];
  for (const [what, o, expected] of cases) {
    await t.test(what, () => assert.equal(wire(o), expected));
  }
});

test('uris: the stage URI can be replaced per run', () => {
  assert.equal(wire({ uri: '/a' }, '/b'), 'GET /b HTTP/1.1\r\nConnection: close\r\n\r\n');
});

test('a data template go-ftw cannot parse means no body, with a note', () => {
  const built = buildRequest(input({ method: 'POST', autocompleteHeaders: false, data: 'x={{ nosuchfn 1 }}' }));
  assert.equal(built.bytes.toString('latin1'), 'POST / HTTP/1.1\r\n\r\n');
  assert.match(built.notes.join(), /nosuchfn/);
});

test('invalid inputs are refused with FtwInputError', async (t) => {
  const cases: [string, Partial<FtwInput>, RegExp][] = [
    ['encoded_request that is not base64', { encodedRequest: 'R0VU*IC8=' }, /encoded_request: invalid base64/],
    ['encoded_request with bad padding', { encodedRequest: 'R0VUIC8' }, /encoded_request: invalid base64/],
    ['encoded_data that is not base64', { encodedData: '%%%' }, /encoded_data: invalid base64/],
    ['data together with encoded_request', { data: 'a', encodedRequest: 'R0VU' }, /must not be set simultaneously/],
  ];
  for (const [what, o, re] of cases) {
    await t.test(what, () =>
      assert.throws(
        () => buildRequest(input(o)),
        (e: unknown) => e instanceof FtwInputError && re.test(e.message),
      ),
    );
  }
});
