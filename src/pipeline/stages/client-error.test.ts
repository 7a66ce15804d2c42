// Real node:http server + raw sockets: which smuggling and malformed shapes Node 20 rejects at parse
// time (answered by handleClientError) and which reach protocol_guard (answered by the stage).
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { metrics } from '../../telemetry/metrics.js';
import { clientErrorResponse, handleClientError } from './client-error.js';
import { protocolGuardStage } from './protocol-guard.js';
import { makeContext, makeDeps, makeRoute, runSync } from './test-context.js';

const guard = protocolGuardStage.create(makeRoute(), makeDeps());

/**
 * The gateway's order of work: the guard runs as soon as the head is parsed; a request it passes has
 * its body read (as the proxy would stream it), so body-level parse errors surface as clientError.
 */
function onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
  const cl = req.headers['content-length'];
  const ctx = makeContext({
    request: {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] as string,
      headers: req.headers,
      protocol: req.httpVersion === '1.0' ? 'HTTP/1.0' : 'HTTP/1.1',
    },
    contentLength: cl !== undefined && /^\d+$/.test(cl) ? Number(cl) : undefined,
  });
  const v = runSync(guard, ctx);
  if (v && v.action === 'deny') {
    const body = JSON.stringify(v.body);
    res.writeHead(v.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
      'x-answered-by': 'guard',
      ...v.headers,
    });
    res.end(body);
    req.resume();
    return;
  }
  req.on('error', () => {}); // aborted by a body parse error: handleClientError answers
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 6, 'x-answered-by': 'handler' });
    res.end('passed');
  });
}

let server: http.Server;
let port = 0;

before(async () => {
  server = http.createServer(
    {
      maxHeaderSize: 16 * 1024,
      requireHostHeader: false,
      headersTimeout: 400,
      requestTimeout: 800,
      connectionsCheckingInterval: 50,
    },
    onRequest,
  );
  server.on('clientError', handleClientError);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Send raw bytes (optionally only a prefix, to stall), read until the server closes. */
function exchange(raw: string, opts: { stallAfter?: number } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const guardTimer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no complete response within 15s; got ${JSON.stringify(Buffer.concat(chunks).toString('latin1'))}`));
    }, 15_000);
    s.on('connect', () => s.write(opts.stallAfter === undefined ? raw : raw.slice(0, opts.stallAfter)));
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => {}); // a reset after the answer is fine; the answer is what we check
    s.on('close', () => {
      clearTimeout(guardTimer);
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3}) [^\r\n]*\r\n/.exec(text);
      if (!m) return reject(new Error(`no HTTP response: ${JSON.stringify(text.slice(0, 200))}`));
      const headEnd = text.indexOf('\r\n\r\n');
      const headers: Record<string, string> = {};
      for (const line of text.slice(m[0].length, headEnd).split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(m[1]), headers, body: text.slice(headEnd + 4) });
    });
  });
}

const H = 'Host: gw.test\r\n';

// [shape, raw request, status, error, reason, answered by]
const SHAPES: [string, string, number, string, string, 'parser' | 'guard'][] = [
  [
    'CL then TE',
    `POST / HTTP/1.1\r\n${H}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    400,
    'bad_request',
    'invalid_transfer_encoding',
    'parser',
  ],
  [
    'TE then CL',
    `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n`,
    400,
    'bad_request',
    'invalid_content_length',
    'parser',
  ],
  [
    'double CL, same value',
    `POST / HTTP/1.1\r\n${H}Content-Length: 4\r\nContent-Length: 4\r\n\r\nabcd`,
    400,
    'bad_request',
    'unexpected_content_length',
    'parser',
  ],
  [
    'double CL, different values',
    `POST / HTTP/1.1\r\n${H}Content-Length: 4\r\nContent-Length: 5\r\n\r\nabcde`,
    400,
    'bad_request',
    'unexpected_content_length',
    'parser',
  ],
  ['CL list', `POST / HTTP/1.1\r\n${H}Content-Length: 4, 4\r\n\r\nabcd`, 400, 'bad_request', 'invalid_content_length', 'parser'],
  ['negative CL', `POST / HTTP/1.1\r\n${H}Content-Length: -1\r\n\r\n`, 400, 'bad_request', 'invalid_content_length', 'parser'],
  [
    'TE chunked, gzip',
    `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n`,
    400,
    'bad_request',
    'invalid_transfer_encoding',
    'parser',
  ],
  [
    'TE twice',
    `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    400,
    'bad_request',
    'invalid_transfer_encoding',
    'parser',
  ],
  [
    'space before colon',
    `POST / HTTP/1.1\r\n${H}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n`,
    400,
    'bad_request',
    'invalid_header',
    'parser',
  ],
  ['obs-fold', `GET / HTTP/1.1\r\n${H}X-Foo: a\r\n  b\r\n\r\n`, 400, 'bad_request', 'invalid_header', 'parser'],
  [
    'obs-fold hiding TE',
    `POST / HTTP/1.1\r\n${H}Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n`,
    400,
    'bad_request',
    'invalid_header',
    'parser',
  ],
  ['NUL in value', `GET / HTTP/1.1\r\n${H}X-Foo: a\u0000b\r\n\r\n`, 400, 'bad_request', 'invalid_header', 'parser'],
  ['CTL in value', `GET / HTTP/1.1\r\n${H}X-Foo: a\u0001b\r\n\r\n`, 400, 'bad_request', 'invalid_header', 'parser'],
  ['bare CR in value', `GET / HTTP/1.1\r\n${H}X-Foo: a\rb\r\n\r\n`, 400, 'bad_request', 'invalid_line_ending', 'parser'],
  ['non-token header name', `GET / HTTP/1.1\r\n${H}X(Foo: a\r\n\r\n`, 400, 'bad_request', 'invalid_header', 'parser'],
  ['bare LF line endings', 'GET / HTTP/1.1\nHost: a\n\n', 400, 'bad_request', 'invalid_version', 'parser'],
  ['invalid method', `G(T / HTTP/1.1\r\n${H}\r\n`, 400, 'bad_request', 'invalid_method', 'parser'],
  ['space in URL', `GET /a b HTTP/1.1\r\n${H}\r\n`, 400, 'bad_request', 'malformed_request', 'parser'],
  [
    'head over maxHeaderSize',
    `GET / HTTP/1.1\r\n${H}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    431,
    'headers_too_large',
    'header_overflow',
    'parser',
  ],
  [
    'oversized chunk extension',
    `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n1;${'x'.repeat(20_000)}\r\na\r\n0\r\n\r\n`,
    400,
    'bad_request',
    'chunk_extensions_too_large',
    'parser',
  ],
  [
    'invalid chunk size',
    `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nzz\r\n`,
    400,
    'bad_request',
    'invalid_chunk',
    'parser',
  ],
  // Shapes whose head llhttp accepts: the guard must catch them. ("gzip" alone is refused by llhttp
  // only when the body starts, after the request event, so the guard answers first.)
  [
    'TE gzip',
    `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip\r\n\r\nabcd`,
    400,
    'bad_request',
    'unsupported_transfer_encoding',
    'guard',
  ],
  [
    'TE gzip, chunked',
    `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
    400,
    'bad_request',
    'unsupported_transfer_encoding',
    'guard',
  ],
  [
    'TE Chunked',
    `POST / HTTP/1.1\r\n${H}Transfer-Encoding: Chunked\r\n\r\n0\r\n\r\n`,
    400,
    'bad_request',
    'unsupported_transfer_encoding',
    'guard',
  ],
  [
    'TE on HTTP/1.0',
    `POST / HTTP/1.0\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    400,
    'bad_request',
    'transfer_encoding_not_allowed',
    'guard',
  ],
  ['no Host on HTTP/1.1', 'GET / HTTP/1.1\r\n\r\n', 400, 'bad_request', 'missing_host', 'guard'],
];

async function rejectionCount(reason: string): Promise<number> {
  const m = await metrics.guardRejections.get();
  return m.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

describe('Node 20 + handleClientError + protocol_guard on raw HTTP/1.1', () => {
  for (const [shape, raw, status, error, reason, by] of SHAPES) {
    test(`${shape} -> ${status} ${reason} (${by})`, async () => {
      const before = await rejectionCount(reason);
      const r = await exchange(raw);
      assert.equal(r.status, status);
      assert.equal(r.headers.connection, 'close');
      assert.equal(r.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(r.body), { error, reason });
      assert.equal(Number(r.headers['content-length']), Buffer.byteLength(r.body));
      assert.equal(r.headers['x-answered-by'], by === 'guard' ? 'guard' : undefined);
      assert.equal(await rejectionCount(reason), before + 1);
    });
  }

  test('a well-formed request still passes', async () => {
    const r = await exchange(`GET / HTTP/1.1\r\n${H}Connection: close\r\n\r\n`);
    assert.equal(r.status, 200);
    assert.equal(r.body, 'passed');
  });

  test('a head that never completes gets 408 after headersTimeout', async () => {
    const r = await exchange(`GET / HTTP/1.1\r\n${H}X-Slow: 1\r\n\r\n`, { stallAfter: 20 });
    assert.equal(r.status, 408);
    assert.equal(r.headers.connection, 'close');
    assert.deepEqual(JSON.parse(r.body), { error: 'request_timeout', reason: 'request_timeout' });
  });
});

describe('clientErrorResponse', () => {
  const err = (code: string | undefined) => Object.assign(new Error('x'), code === undefined ? {} : { code });
  // [code, status, error, reason]
  const TABLE: [string | undefined, number, string, string][] = [
    ['HPE_HEADER_OVERFLOW', 431, 'headers_too_large', 'header_overflow'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'request_timeout', 'request_timeout'],
    ['HPE_HEADERS_TIMEOUT', 408, 'request_timeout', 'request_timeout'],
    ['HPE_UNEXPECTED_CONTENT_LENGTH', 400, 'bad_request', 'unexpected_content_length'],
    ['HPE_INVALID_TRANSFER_ENCODING', 400, 'bad_request', 'invalid_transfer_encoding'],
    ['HPE_INVALID_HEADER_TOKEN', 400, 'bad_request', 'invalid_header'],
    ['HPE_INVALID_METHOD', 400, 'bad_request', 'invalid_method'],
    ['HPE_INVALID_URL', 400, 'bad_request', 'invalid_url'],
    ['HPE_LF_EXPECTED', 400, 'bad_request', 'invalid_line_ending'],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 400, 'bad_request', 'chunk_extensions_too_large'],
    ['HPE_SOMETHING_NEW', 400, 'bad_request', 'malformed_request'],
    [undefined, 400, 'bad_request', 'malformed_request'],
  ];
  for (const [code, status, error, reason] of TABLE) {
    test(`${code ?? '(no code)'} -> ${status} ${reason}`, () => {
      const r = clientErrorResponse(err(code));
      assert.equal(r.status, status);
      assert.deepEqual(JSON.parse(r.body), { error, reason });
    });
  }
});

describe('handleClientError on sockets it must not write to', () => {
  const parseError = Object.assign(new Error('Parse Error'), { code: 'HPE_INVALID_METHOD' });

  test('ECONNRESET: destroys without writing', () => {
    const s = new PassThrough();
    let written = 0;
    s.on('data', () => written++);
    handleClientError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), s);
    assert.equal(s.destroyed, true);
    assert.equal(written, 0);
  });

  test('already destroyed socket: no throw', () => {
    const s = new PassThrough();
    s.destroy();
    assert.doesNotThrow(() => handleClientError(parseError, s));
  });

  test('not writable: destroys without writing', () => {
    const s = new PassThrough();
    s.end();
    assert.doesNotThrow(() => handleClientError(parseError, s));
    assert.equal(s.destroyed, true);
  });

  test('response already started on the connection: destroys without writing', () => {
    const s = Object.assign(new PassThrough(), { _httpMessage: { headersSent: true } });
    const chunks: Buffer[] = [];
    s.on('data', (d: Buffer) => chunks.push(d));
    handleClientError(parseError, s);
    assert.equal(s.destroyed, true);
    assert.equal(Buffer.concat(chunks).length, 0);
  });

  test('writable socket: one complete response, once, even when reported twice', async () => {
    const s = new PassThrough();
    const chunks: Buffer[] = [];
    s.on('data', (d: Buffer) => chunks.push(d));
    handleClientError(parseError, s);
    handleClientError(parseError, s);
    await new Promise((r) => s.once('end', r));
    const text = Buffer.concat(chunks).toString('latin1');
    assert.match(text, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.equal(text.split('HTTP/1.1').length, 2);
    assert.match(text, /\r\nConnection: close\r\n/);
    assert.ok(text.endsWith('{"error":"bad_request","reason":"invalid_method"}'));
    s.destroy();
  });
});
