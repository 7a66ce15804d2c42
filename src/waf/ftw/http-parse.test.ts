import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ParseOutcome, parseHttpRequest, validHost } from './http-parse.js';

const parse = (raw: string): ParseOutcome => parseHttpRequest(Buffer.from(raw, 'latin1'));
const H = 'Host: localhost\r\n';

interface Seen {
  method?: string;
  target?: string;
  version?: string;
  headers?: [string, string][];
  body?: string;
  http09?: boolean;
}

test('requests the server hands to the WAF', async (t) => {
  const cases: [string, string, Seen][] = [
    [
      'plain GET',
      `GET /a?b=1 HTTP/1.1\r\n${H}User-Agent: x\r\n\r\n`,
      {
        method: 'GET',
        target: '/a?b=1',
        version: 'HTTP/1.1',
        headers: [
          ['Host', 'localhost'],
          ['User-Agent', 'x'],
        ],
        body: '',
      },
    ],
    ['one empty line before the request line is skipped', `\r\nGET / HTTP/1.1\r\n${H}\r\n`, { method: 'GET', target: '/' }],
    ['bare LF line ends', 'GET / HTTP/1.1\nHost: a\n\n', { headers: [['Host', 'a']] }],
    [
      'field values lose surrounding whitespace',
      `GET / HTTP/1.1\r\n${H}X:  \t v \t\r\n\r\n`,
      {
        headers: [
          ['Host', 'localhost'],
          ['X', 'v'],
        ],
      },
    ],
    [
      'an empty field value',
      `GET / HTTP/1.1\r\n${H}X:\r\n\r\n`,
      {
        headers: [
          ['Host', 'localhost'],
          ['X', ''],
        ],
      },
    ],
    [
      'obs-fold is unfolded into one value',
      `GET / HTTP/1.1\r\n${H}X: a\r\n  b\r\n\tc\r\n\r\n`,
      {
        headers: [
          ['Host', 'localhost'],
          ['X', 'a b c'],
        ],
      },
    ],
    [
      'repeated headers stay apart, in order, with their case',
      `GET / HTTP/1.1\r\n${H}content-type: a\r\nContent-Type: b\r\n\r\n`,
      {
        headers: [
          ['Host', 'localhost'],
          ['content-type', 'a'],
          ['Content-Type', 'b'],
        ],
      },
    ],
    [
      'other control bytes in a value are kept',
      `GET / HTTP/1.1\r\n${H}X: a\x01b\x7f\r\n\r\n`,
      {
        headers: [
          ['Host', 'localhost'],
          ['X', 'a\x01b\x7f'],
        ],
      },
    ],
    ['bytes above 0x7f in the target are kept', 'GET /\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n', { target: '/\xc3\xa9' }],
    ['HTTP/1.0 needs no Host', 'GET / HTTP/1.0\r\n\r\n', { version: 'HTTP/1.0', headers: [] }],
    ['HTTP/1.0 with an empty Host', 'GET / HTTP/1.0\r\nHost:\r\n\r\n', { headers: [['Host', '']] }],
    ['HTTP/1.1 with an empty Host (RFC 9110 allows it)', 'GET / HTTP/1.1\r\nHost:\r\n\r\n', { headers: [['Host', '']] }],
    [
      'a percent-encoded Host is a valid reg-name',
      'GET / HTTP/1.1\r\nHost: localhost%00\r\n\r\n',
      { headers: [['Host', 'localhost%00']] },
    ],
    ['Host with a port', 'GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n', { headers: [['Host', '[::1]:8080']] }],
    ['a higher HTTP version reaches the WAF', `GET / HTTP/4.0\r\n${H}\r\n`, { version: 'HTTP/4.0' }],
    ['a method that is an odd token', `|GET / HTTP/1.1\r\n${H}\r\n`, { method: '|GET' }],
    ['OPTIONS *', `OPTIONS * HTTP/1.1\r\n${H}\r\n`, { method: 'OPTIONS', target: '*' }],
    ['CONNECT host:port', `CONNECT 1.2.3.4:80 HTTP/1.1\r\n${H}\r\n`, { target: '1.2.3.4:80' }],
    ['absolute-form without a path', `GET http://localhost HTTP/1.1\r\n${H}\r\n`, { target: 'http://localhost' }],
    ['a fragment in the target is passed on', `GET /a#b HTTP/1.1\r\n${H}\r\n`, { target: '/a#b' }],
    ['Content-Length frames the body', `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\n\r\nabcdef`, { body: 'abc' }],
    ['Content-Length 0', `POST / HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`, { body: '' }],
    ['repeated identical Content-Length values', `POST / HTTP/1.1\r\n${H}Content-Length: 2, 2\r\n\r\nab`, { body: 'ab' }],
    ['no framing header: no body', `POST / HTTP/1.1\r\n${H}\r\nabc`, { body: '' }],
    [
      'chunked body, with extensions and trailers',
      `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n`,
      {
        body: 'abcde',
        headers: [
          ['Host', 'localhost'],
          ['Transfer-Encoding', 'chunked'],
        ],
      },
    ],
    [
      'Transfer-Encoding wins over Content-Length, which is dropped',
      `POST / HTTP/1.1\r\n${H}Content-Length: 7\r\nTransfer-Encoding: Chunked\r\n\r\n7\r\nfoo=bar\r\n0\r\n\r\n`,
      {
        body: 'foo=bar',
        headers: [
          ['Host', 'localhost'],
          ['Transfer-Encoding', 'Chunked'],
        ],
      },
    ],
    ['binary body bytes are kept', `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\n\r\n\x00\xff\r`, { body: '\x00\xff\r' }],
    [
      'a version-less request line is HTTP/0.9: no headers read',
      'GET / \r\nHost: localhost\r\n\r\n',
      { method: 'GET', target: '/', version: 'HTTP/0.9', headers: [], http09: true },
    ],
    ['HTTP/0.9 without the trailing space', 'GET /x\r\n', { version: 'HTTP/0.9', target: '/x' }],
  ];
  for (const [what, raw, seen] of cases) {
    await t.test(what, () => {
      const out = parse(raw);
      assert.equal(out.kind, 'request', JSON.stringify(out));
      if (out.kind !== 'request') return;
      const r = out.request;
      const got: Seen = {
        method: r.method,
        target: r.target,
        version: r.version,
        headers: r.headers,
        body: r.body.toString('latin1'),
        http09: r.http09,
      };
      for (const k of Object.keys(seen) as (keyof Seen)[]) assert.deepEqual(got[k], seen[k], k);
    });
  }
});

test('requests the server answers itself', async (t) => {
  const long = `/${'a'.repeat(9000)}`;
  const cases: [string, string, number, RegExp][] = [
    ['leading whitespace before the method', `     GET / HTTP/1.1\r\n${H}\r\n`, 400, /malformed request line/],
    ['a tab before the method', `\tGET / HTTP/1.1\r\n${H}\r\n`, 400, /malformed request line|invalid method/],
    ['a space in the target', `GET /a b HTTP/1.1\r\n${H}\r\n`, 400, /malformed request line/],
    ['a method with a non-token byte', `G(T / HTTP/1.1\r\n${H}\r\n`, 400, /invalid method/],
    ['HTTP/0.9 spelled out', `GET / HTTP/0.9\r\n${H}\r\n`, 400, /invalid HTTP version/],
    ['HTTP/0.8', `GET / HTTP/0.8\r\n${H}\r\n`, 400, /invalid HTTP version/],
    ['a version without minor', `GET / HTTP/2\r\n${H}\r\n`, 400, /invalid HTTP version/],
    ['a version without the HTTP/ prefix', `GET / 1.1\r\n${H}\r\n`, 400, /invalid HTTP version/],
    ['another protocol', `GET / JUNK/1.0\r\n${H}\r\n`, 400, /invalid HTTP version/],
    ['a backslash version', `GET / HTTP\\1.0\r\n${H}\r\n`, 400, /invalid HTTP version/],
    ['a target not starting with /', `GET \\ HTTP/1.1\r\n${H}\r\n`, 400, /invalid request target/],
    ['* for another method than OPTIONS', `GET * HTTP/1.1\r\n${H}\r\n`, 400, /invalid request target/],
    ['CONNECT without a port', `CONNECT www.example.org HTTP/1.1\r\n${H}\r\n`, 400, /invalid request target/],
    ['a control byte in the target', `GET /\x01 HTTP/1.1\r\n${H}\r\n`, 400, /invalid request target/],
    ['a bare CR in the request line', `GET /\r HTTP/1.1\r\n${H}\r\n`, 400, /bare CR/],
    ['HTTP/1.1 without Host', 'GET / HTTP/1.1\r\nX: y\r\n\r\n', 400, /without Host/],
    ['two Host headers', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', 400, /more than one Host/],
    ['a Host with a space', 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n', 400, /invalid Host/],
    ['a Host with a bad port', 'GET / HTTP/1.1\r\nHost: a:8x\r\n\r\n', 400, /invalid Host/],
    ['NUL in a field value', `GET / HTTP/1.1\r\n${H}X: a\x00b\r\n\r\n`, 400, /NUL in the X header/],
    ['a bare CR in a field', `GET / HTTP/1.1\r\n${H}X: a\rb\r\n\r\n`, 400, /bare CR/],
    ['whitespace between field name and colon', `GET / HTTP/1.1\r\n${H}X : y\r\n\r\n`, 400, /invalid header field name/],
    ['a field line without a colon', `GET / HTTP/1.1\r\n${H}Nonsense\r\n\r\n`, 400, /without a field name/],
    ['a continuation line first', `GET / HTTP/1.1\r\n a\r\n${H}\r\n`, 400, /continuation line/],
    ['a non-numeric Content-Length', `POST / HTTP/1.1\r\n${H}Content-Length: 1x\r\n\r\nab`, 400, /invalid Content-Length/],
    [
      'conflicting Content-Length values',
      `POST / HTTP/1.1\r\n${H}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
      400,
      /invalid Content-Length/,
    ],
    ['Transfer-Encoding without chunked last', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\n\r\n`, 400, /final coding/],
    [
      'a transfer coding before chunked',
      `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
      501,
      /unsupported transfer coding gzip/,
    ],
    ['a bad chunk size', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nzz\r\n`, 400, /bad chunk size/],
    [
      'chunk data longer than its size',
      `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n1\r\nabc\r\n0\r\n\r\n`,
      400,
      /not followed by CRLF/,
    ],
    ['a request line over 8190 bytes', `GET ${long} HTTP/1.1\r\n${H}\r\n`, 414, /too long/],
  ];
  for (const [what, raw, status, reason] of cases) {
    await t.test(what, () => {
      const out = parse(raw);
      assert.equal(out.kind, 'rejected', JSON.stringify(out).slice(0, 200));
      if (out.kind !== 'rejected') return;
      assert.equal(out.status, status);
      assert.match(out.reason, reason);
    });
  }
});

test('requests the server is still waiting on', async (t) => {
  const cases: [string, string][] = [
    ['no line end yet', 'GET / HTTP/1.1'],
    ['header section not finished', `GET / HTTP/1.1\r\n${H}`],
    ['body shorter than Content-Length', `POST / HTTP/1.1\r\n${H}Content-Length: 10\r\n\r\nabc`],
    ['chunked body without its last chunk', `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n`],
  ];
  for (const [what, raw] of cases) {
    await t.test(what, () => assert.equal(parse(raw).kind, 'incomplete'));
  }
});

test('Host values (RFC 9110 uri-host [":" port])', () => {
  for (const ok of ['', 'localhost', 'localhost:80', 'a.b-c_d~e', '%00', '1.2.3.4:', '[::1]', '[v1.x]:1', "a!$&'()*+,;=b"]) {
    assert.equal(validHost(ok), true, ok);
  }
  for (const bad of ['a b', 'a:b', 'a:1:2', '[::1', 'a/b', 'a@b', '%zz', 'é']) assert.equal(validHost(bad), false, bad);
});
