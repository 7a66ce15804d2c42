import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, beforeEach, test } from 'node:test';
import { BuiltinError } from '../errors.js';
import { equal, format, fromJSON, RObject, type Value } from '../value.js';
import { cacheClear } from './http-cache.js';
import './http.js';
import { type BuiltinContext, getBuiltin } from './registry.js';

// The server runs in a child process: http.send blocks this thread while it waits for the answer.
const SERVER = String.raw`
const http = require('node:http');
const zlib = require('node:zlib');
const counts = {};
const srv = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  counts[u.pathname] = (counts[u.pathname] || 0) + 1;
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const json = (code, v, headers = {}) => {
      res.writeHead(code, Object.assign({ 'Content-Type': 'application/json' }, headers));
      res.end(JSON.stringify(v));
    };
    switch (u.pathname) {
      case '/json':
        res.setHeader('X-Multi', ['1', '2']);
        return json(200, { a: 1, list: [true, null, 'x'] });
      case '/text':
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return res.end('{"not": "decoded"}');
      case '/yaml':
        res.writeHead(200, { 'Content-Type': 'application/yaml' });
        return res.end('a: 1\nb: [x, y]\n');
      case '/badjson':
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
        return res.end('{oops');
      case '/echo':
        return json(200, { method: req.method, headers: req.headers, body });
      case '/teapot':
        res.writeHead(418, "I'm a teapot");
        return res.end('short and stout');
      case '/redirect':
        res.writeHead(302, { Location: '/json' });
        return res.end();
      case '/redirect-away':
        res.writeHead(302, { Location: 'http://example.com/' });
        return res.end();
      case '/slow':
        return setTimeout(() => json(200, {}), 3000);
      case '/gzip': {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
        return res.end(zlib.gzipSync(JSON.stringify({ zipped: req.headers['accept-encoding'] || '' })));
      }
      case '/cached':
        return json(200, { n: counts['/cached'] }, { 'Cache-Control': 'max-age=60', Date: new Date().toUTCString() });
      case '/nostore':
        return json(200, { n: counts['/nostore'] }, { 'Cache-Control': 'no-store, max-age=60', Date: new Date().toUTCString() });
      case '/etag':
        if (req.headers['if-none-match'] === '"v1"') {
          counts.conditional = (counts.conditional || 0) + 1;
          res.writeHead(304, { 'Cache-Control': 'max-age=10', Date: new Date().toUTCString(), ETag: '"v1"' });
          return res.end();
        }
        return json(200, { full: true }, { 'Cache-Control': 'max-age=10', Date: new Date().toUTCString(), ETag: '"v1"' });
      case '/counts':
        return json(200, counts);
      default:
        return json(404, { error: 'not found' });
    }
  });
});
srv.listen(0, '127.0.0.1', () => console.log(srv.address().port));
`;

let child: ChildProcess;
let base = '';
let port = 0;

before(async () => {
  child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
  });
  base = `http://127.0.0.1:${port}`;
});

after(() => {
  child.kill();
});

beforeEach(() => cacheClear());

const NOW = 1_700_000_000_000_000_000n;

function makeCtx(opts: Record<string, unknown> = { httpSend: { allowedHosts: ['127.0.0.1'] } }, nowNs = NOW): BuiltinContext {
  return { cache: new Map(), options: opts, nowNs } as unknown as BuiltinContext;
}

function send(req: Record<string, unknown> | Value, ctx = makeCtx()): RObject {
  const def = getBuiltin('http.send');
  assert.ok(def);
  const v = req instanceof RObject ? req : fromJSON(req);
  const out = def.fn([v], ctx);
  assert.ok(out instanceof RObject, `result ${out === undefined ? 'undefined' : format(out)}`);
  return out;
}

function sendErr(req: Record<string, unknown>, ctx = makeCtx()): BuiltinError {
  try {
    send(req, ctx);
  } catch (e) {
    assert.ok(e instanceof BuiltinError, String(e));
    return e;
  }
  assert.fail('http.send did not fail');
}

function counts(): Record<string, number> {
  const body = send({ method: 'get', url: `${base}/counts` }).get('body') as Value;
  return JSON.parse(format(body)) as Record<string, number>;
}

test('http.send is declared nondeterministic and is off unless the host enables it', () => {
  assert.equal(getBuiltin('http.send')?.nondeterministic, true);
  const e = sendErr({ method: 'get', url: `${base}/json` }, makeCtx({}));
  assert.match(e.message, /^http\.send: disabled/);
  const e2 = sendErr(
    { method: 'get', url: `${base}/json` },
    makeCtx({ httpSend: { allowedHosts: ['localhost', `127.0.0.1:${port + 1}`] } }),
  );
  assert.equal(e2.message, 'http.send: host not allowed: 127.0.0.1');
  // host:port and wildcard patterns
  for (const allowed of [[`127.0.0.1:${port}`], ['*']]) {
    assert.equal(
      send({ method: 'get', url: `${base}/json` }, makeCtx({ httpSend: { allowedHosts: allowed } })).get('status_code'),
      200,
    );
  }
});

test('http.send returns OPA response objects', () => {
  const r = send({ method: 'get', url: `${base}/json` });
  assert.equal(r.get('status'), '200 OK');
  assert.equal(r.get('status_code'), 200);
  assert.ok(equal(r.get('body') as Value, fromJSON({ a: 1, list: [true, null, 'x'] })));
  assert.equal(r.get('raw_body'), '{"a":1,"list":[true,null,"x"]}');
  const headers = r.get('headers') as RObject;
  assert.ok(equal(headers.get('x-multi') as Value, ['1', '2']));
  assert.ok(equal(headers.get('content-type') as Value, ['application/json']));

  const text = send({ method: 'get', url: `${base}/text` });
  assert.equal(text.get('body'), null);
  assert.equal(text.get('raw_body'), '{"not": "decoded"}');
  assert.ok(
    equal(
      send({ method: 'get', url: `${base}/text`, force_json_decode: true }).get('body') as Value,
      fromJSON({ not: 'decoded' }),
    ),
  );
  assert.ok(equal(send({ method: 'get', url: `${base}/yaml` }).get('body') as Value, fromJSON({ a: 1, b: ['x', 'y'] })));
  assert.equal(send({ method: 'get', url: `${base}/badjson` }).get('body'), null);

  const teapot = send({ method: 'get', url: `${base}/teapot` });
  assert.equal(teapot.get('status'), "418 I'm a teapot");
  assert.equal(teapot.get('raw_body'), 'short and stout');

  // gzip is requested and undone transparently, as Go's client does.
  const gz = send({ method: 'get', url: `${base}/gzip` });
  assert.ok(equal(gz.get('body') as Value, fromJSON({ zipped: 'gzip' })));
  assert.equal((gz.get('headers') as RObject).get('content-encoding'), undefined);
});

test('http.send sends method, headers and Go-JSON bodies', () => {
  const r = send({ method: 'post', url: `${base}/echo`, headers: { 'x-custom': 'v' }, body: { b: [1, 2], a: '<&>' } });
  const echo = r.get('body') as RObject;
  assert.equal(echo.get('method'), 'POST');
  assert.equal(echo.get('body'), '{"a":"\\u003c\\u0026\\u003e","b":[1,2]}');
  assert.equal((echo.get('headers') as RObject).get('x-custom'), 'v');
  const raw = send({ method: 'PUT', url: `${base}/echo`, raw_body: 'plain text', body: { ignored: true } }).get(
    'body',
  ) as RObject;
  assert.equal(raw.get('body'), 'plain text');
  assert.equal((raw.get('headers') as RObject).get('content-length'), '10');
});

test('http.send network failures: raised, or returned with raise_error: false', () => {
  const closed = 'http://127.0.0.1:1/';
  const e = sendErr({ method: 'get', url: closed });
  assert.equal(e.message, 'http.send: Get "http://127.0.0.1:1/": dial tcp 127.0.0.1:1: connect: connection refused');
  assert.equal(e.code, 'eval_builtin_error');
  const r = send({ method: 'get', url: closed, raise_error: false });
  assert.equal(r.get('status_code'), 0);
  const err = r.get('error') as RObject;
  assert.equal(err.get('code'), 'eval_http_send_network_error');
  assert.match(err.get('message') as string, /connection refused/);

  const slow = sendErr({ method: 'get', url: `${base}/slow`, timeout: '200ms' });
  assert.equal(slow.message, `http.send: Get ${base}/slow: request timed out`);

  const bad = send({ method: 'get', url: `${base}/json`, raise_error: false, bogus: 1 });
  assert.equal((bad.get('error') as RObject).get('code') as string, 'eval_http_send_internal_error');
});

test('http.send request validation uses OPA messages', () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [
      { method: 'get', url: `${base}/json`, foo: 1 },
      'eval_type_error',
      'http.send: operand 1 invalid request parameters(s): {"foo"}',
    ],
    [{ url: `${base}/json` }, 'eval_type_error', 'http.send: operand 1 missing required request parameters(s): {"method"}'],
    [
      { method: 'get', url: `${base}/json`, raise_error: 'no' },
      'eval_builtin_error',
      'http.send: invalid value for raise_error field',
    ],
    [{ method: 'get', url: 5 }, 'eval_builtin_error', 'http.send: "url" must be a string'],
    [{ method: 'get', url: `${base}/json`, headers: 'x' }, 'eval_builtin_error', 'http.send: invalid type for headers key'],
    [
      { method: 'get', url: `${base}/json`, timeout: 'soon' },
      'eval_builtin_error',
      'http.send: invalid timeout value "soon": time: invalid duration "soon"',
    ],
    [{ method: 'get', url: `${base}/json`, cache: 'yes' }, 'eval_builtin_error', 'http.send: invalid value for "cache" field'],
    [
      { method: 'get', url: `${base}/json`, force_cache: true },
      'eval_builtin_error',
      "http.send: 'force_cache' set but 'force_cache_duration_seconds' parameter is missing",
    ],
    [{ method: 'get', url: `${base}/%zz` }, 'eval_builtin_error', `http.send: parse "${base}/%zz": invalid URL escape "%zz"`],
  ];
  for (const [req, code, msg] of cases) {
    const e = sendErr(req);
    assert.equal(e.message, msg);
    assert.equal(e.code, code);
  }
  assert.equal(
    sendErr({ method: 'get', url: 'ftp://127.0.0.1/x' }).message,
    'http.send: Get "ftp://127.0.0.1/x": unsupported protocol scheme "ftp"',
  );
});

test('http.send follows redirects only when enable_redirect is set', () => {
  const plain = send({ method: 'get', url: `${base}/redirect` });
  assert.equal(plain.get('status_code'), 302);
  assert.ok(equal((plain.get('headers') as RObject).get('location') as Value, ['/json']));
  const followed = send({ method: 'get', url: `${base}/redirect`, enable_redirect: true });
  assert.equal(followed.get('status_code'), 200);
  assert.ok(equal(followed.get('body') as Value, fromJSON({ a: 1, list: [true, null, 'x'] })));
  const away = sendErr({ method: 'get', url: `${base}/redirect-away`, enable_redirect: true });
  assert.equal(away.message, 'http.send: Get "http://example.com/": host not allowed: example.com');
});

test('http.send caches within a query and, when asked, across queries', () => {
  const ctx = makeCtx();
  const first = send({ method: 'get', url: `${base}/cached` }, ctx);
  const again = send({ method: 'get', url: `${base}/cached` }, ctx);
  assert.equal(again, first);
  assert.equal(counts()['/cached'], 1);
  // Without "cache" a new query asks again.
  send({ method: 'get', url: `${base}/cached` });
  assert.equal(counts()['/cached'], 2);

  // "cache": true keeps the response while max-age allows (time is the query's time).
  const a = send({ method: 'get', url: `${base}/cached`, cache: true }, makeCtx(undefined, BigInt(Date.now()) * 1_000_000n));
  const b = send({ method: 'get', url: `${base}/cached`, cache: true }, makeCtx(undefined, BigInt(Date.now()) * 1_000_000n));
  assert.ok(equal(a.get('body') as Value, b.get('body') as Value));
  assert.equal(counts()['/cached'], 3);
  const later = BigInt(Date.now() + 120_000) * 1_000_000n;
  send({ method: 'get', url: `${base}/cached`, cache: true }, makeCtx(undefined, later));
  assert.equal(counts()['/cached'], 4);

  // no-store is honoured, unless caching is forced.
  send({ method: 'get', url: `${base}/nostore`, cache: true });
  send({ method: 'get', url: `${base}/nostore`, cache: true });
  assert.equal(counts()['/nostore'], 2);
  const forced = { method: 'get', url: `${base}/nostore`, force_cache: true, force_cache_duration_seconds: 30 };
  send(forced);
  send(forced);
  assert.equal(counts()['/nostore'], 3);
});

test('http.send revalidates stale cached responses with their ETag', () => {
  const now = Date.now();
  const at = (ms: number): BuiltinContext => makeCtx(undefined, BigInt(now + ms) * 1_000_000n);
  const req = { method: 'get', url: `${base}/etag`, cache: true };
  const first = send(req, at(0));
  send(req, at(5_000));
  assert.equal(counts()['/etag'], 1);
  const revalidated = send(req, at(60_000));
  assert.equal(counts()['/etag'], 2);
  assert.equal(counts().conditional, 1); // answered 304: the cached body is reused
  assert.ok(equal(revalidated.get('body') as Value, first.get('body') as Value));
});
