import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { metrics } from '../../telemetry/metrics.js';
import type { RouteConfig } from '../../config/schema.js';
import type { Verdict } from '../stage.js';
import { protocolGuardStage, routeLimits } from './protocol-guard.js';
import { type ContextInput, makeContext, makeDeps, makeRoute } from './test-context.js';

const deps = makeDeps({
  limits: { max_header_count: 10, max_header_bytes: 600, max_uri_length: 64, max_body_bytes: 1000 },
});

function guardFor(route: Parameters<typeof makeRoute>[0] = {}) {
  return protocolGuardStage.create(makeRoute(route), deps);
}

/** A route whose `limits` holds only the keys given, as a route that sets a few limits means. */
function routeWithLimits(limits: Partial<RouteConfig['limits']>): RouteConfig {
  return { ...makeRoute(), limits } as RouteConfig;
}

async function rejectionCount(reason: string): Promise<number> {
  const m = await metrics.guardRejections.get();
  return m.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

const manyHeaders = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`x-h${i}`, 'v']));

// [title, context, expected status, expected error, expected reason]
const REJECTIONS: [string, ContextInput, number, string, string][] = [
  ['method not in allowed_methods', { request: { method: 'TRACE' } }, 405, 'method_not_allowed', 'method_not_allowed'],
  ['URI over max_uri_length (path)', { request: { path: `/${'a'.repeat(64)}` } }, 414, 'uri_too_long', 'uri_too_long'],
  [
    'URI over max_uri_length (path + ? + query)',
    { request: { path: `/${'a'.repeat(40)}`, query: 'q='.padEnd(23, 'x') } },
    414,
    'uri_too_long',
    'uri_too_long',
  ],
  [
    'more headers than max_header_count',
    { request: { headers: { host: 'h', ...manyHeaders } } },
    431,
    'headers_too_large',
    'too_many_headers',
  ],
  [
    'repeated header values count one each',
    { request: { headers: { host: 'h', 'set-cookie': Array.from({ length: 10 }, () => 'a=b') } } },
    431,
    'headers_too_large',
    'too_many_headers',
  ],
  [
    'header bytes over max_header_bytes',
    { request: { headers: { host: 'h', 'x-big': 'a'.repeat(600) } } },
    431,
    'headers_too_large',
    'header_bytes_exceeded',
  ],
  [
    'declared Content-Length over max_body_bytes (context)',
    { request: { method: 'POST' }, contentLength: 1001 },
    413,
    'payload_too_large',
    'payload_too_large',
  ],
  [
    'declared Content-Length over max_body_bytes (header)',
    { request: { method: 'POST', headers: { host: 'h', 'content-length': '5000' } } },
    413,
    'payload_too_large',
    'payload_too_large',
  ],
  [
    'absurd Content-Length',
    { request: { method: 'POST', headers: { host: 'h', 'content-length': '9'.repeat(400) } } },
    413,
    'payload_too_large',
    'payload_too_large',
  ],
  [
    'Content-Length with Transfer-Encoding',
    { request: { method: 'POST', headers: { host: 'h', 'content-length': '4', 'transfer-encoding': 'chunked' } } },
    400,
    'bad_request',
    'content_length_with_transfer_encoding',
  ],
  [
    'Transfer-Encoding gzip, chunked',
    { request: { method: 'POST', headers: { host: 'h', 'transfer-encoding': 'gzip, chunked' } } },
    400,
    'bad_request',
    'unsupported_transfer_encoding',
  ],
  [
    'Transfer-Encoding Chunked (not exactly chunked)',
    { request: { method: 'POST', headers: { host: 'h', 'transfer-encoding': 'Chunked' } } },
    400,
    'bad_request',
    'unsupported_transfer_encoding',
  ],
  [
    'Transfer-Encoding with trailing space',
    { request: { method: 'POST', headers: { host: 'h', 'transfer-encoding': 'chunked ' } } },
    400,
    'bad_request',
    'unsupported_transfer_encoding',
  ],
  [
    'empty Transfer-Encoding',
    { request: { method: 'POST', headers: { host: 'h', 'transfer-encoding': '' } } },
    400,
    'bad_request',
    'unsupported_transfer_encoding',
  ],
  [
    'Transfer-Encoding on HTTP/1.0',
    { request: { method: 'POST', protocol: 'HTTP/1.0', headers: { 'transfer-encoding': 'chunked' } } },
    400,
    'bad_request',
    'transfer_encoding_not_allowed',
  ],
  [
    'Transfer-Encoding on HTTP/2',
    { request: { method: 'POST', protocol: 'HTTP/2', headers: { ':path': '/', 'transfer-encoding': 'chunked' } } },
    400,
    'bad_request',
    'transfer_encoding_not_allowed',
  ],
  [
    'Transfer-Encoding on HTTP/3',
    { request: { method: 'POST', protocol: 'HTTP/3', headers: { 'transfer-encoding': 'chunked' } } },
    400,
    'bad_request',
    'transfer_encoding_not_allowed',
  ],
  [
    'Content-Length list',
    { request: { method: 'POST', headers: { host: 'h', 'content-length': '4, 4' } } },
    400,
    'bad_request',
    'multiple_content_length',
  ],
  [
    'Content-Length repeated (array)',
    {
      request: { method: 'POST', headers: { host: 'h', 'content-length': ['4', '5'] as unknown as string } },
    },
    400,
    'bad_request',
    'multiple_content_length',
  ],
  [
    'negative Content-Length',
    { request: { method: 'POST', headers: { host: 'h', 'content-length': '-1' } } },
    400,
    'bad_request',
    'invalid_content_length',
  ],
  [
    'non-numeric Content-Length',
    { request: { method: 'POST', headers: { host: 'h', 'content-length': '4a' } } },
    400,
    'bad_request',
    'invalid_content_length',
  ],
  [
    'empty Content-Length',
    { request: { method: 'POST', headers: { host: 'h', 'content-length': '' } } },
    400,
    'bad_request',
    'invalid_content_length',
  ],
  ['CR in a header value', { request: { headers: { host: 'h', 'x-a': 'a\rb' } } }, 400, 'bad_request', 'invalid_header_value'],
  [
    'LF in a header value',
    { request: { headers: { host: 'h', 'x-a': 'a\nInjected: 1' } } },
    400,
    'bad_request',
    'invalid_header_value',
  ],
  [
    'NUL in a header value',
    { request: { headers: { host: 'h', 'x-a': 'a\u0000b' } } },
    400,
    'bad_request',
    'invalid_header_value',
  ],
  [
    'DEL in a repeated header value',
    { request: { headers: { host: 'h', 'set-cookie': ['ok', 'a\u007fb'] } } },
    400,
    'bad_request',
    'invalid_header_value',
  ],
  ['space in a header name', { request: { headers: { host: 'h', 'x a': 'v' } } }, 400, 'bad_request', 'invalid_header_name'],
  ['colon in a header name', { request: { headers: { host: 'h', 'x:a': 'v' } } }, 400, 'bad_request', 'invalid_header_name'],
  ['pseudo-header on HTTP/1.1', { request: { headers: { host: 'h', ':path': '/' } } }, 400, 'bad_request', 'invalid_header_name'],
  ['empty header name', { request: { headers: { host: 'h', '': 'v' } } }, 400, 'bad_request', 'invalid_header_name'],
  ['missing Host on HTTP/1.1', { request: { headers: {} } }, 400, 'bad_request', 'missing_host'],
];

describe('protocol_guard rejections', () => {
  const guard = guardFor();
  for (const [title, input, status, error, reason] of REJECTIONS) {
    test(`${title} -> ${status} ${reason}`, async () => {
      const before = await rejectionCount(reason);
      const v = guard.run(makeContext(input)) as Verdict;
      assert.ok(v && v.action === 'deny', 'expected a deny verdict');
      assert.equal(v.status, status);
      assert.equal(v.reason, reason);
      assert.deepEqual(v.body, { error, reason });
      assert.equal(await rejectionCount(reason), before + 1);
    });
  }

  test('405 carries an Allow header listing the allowed methods', () => {
    const v = guard.run(makeContext({ request: { method: 'TRACE' } })) as Verdict;
    assert.equal(v.action, 'deny');
    assert.equal(v.action === 'deny' && v.headers?.Allow, 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
  });
});

// [title, context]
const PASSES: [string, ContextInput][] = [
  ['plain GET', {}],
  ['URI exactly at the limit', { request: { path: `/${'a'.repeat(40)}`, query: 'q='.padEnd(22, 'x') } }],
  [
    'header count at the limit',
    { request: { headers: { host: 'h', ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`x-${i}`, 'v'])) } } },
  ],
  ['body at the limit', { request: { method: 'POST', headers: { host: 'h', 'content-length': '1000' } }, contentLength: 1000 }],
  ['Content-Length 0', { request: { method: 'POST', headers: { host: 'h', 'content-length': '0' } } }],
  ['chunked POST on HTTP/1.1', { request: { method: 'POST', headers: { host: 'h', 'transfer-encoding': 'chunked' } } }],
  ['HTTP/2 pseudo-headers', { request: { protocol: 'HTTP/2', headers: { ':method': 'GET', ':path': '/', ':authority': 'h' } } }],
  ['HTTP/1.0 without Host', { request: { protocol: 'HTTP/1.0', headers: {} } }],
  ['tab and obs-text in values', { request: { headers: { host: 'h', 'x-a': 'a\tb caf\u00e9' } } }],
  ['token punctuation in names', { request: { headers: { host: 'h', "x-a!#$%&'*+.^_`|~": 'v' } } }],
  ['undefined header entries are ignored', { request: { headers: { host: 'h', 'x-gone': undefined } } }],
];

describe('protocol_guard passes', () => {
  const guard = guardFor();
  for (const [title, input] of PASSES) {
    test(title, () => {
      assert.equal(guard.run(makeContext(input)), undefined);
    });
  }
});

describe('protocol_guard settings', () => {
  test('route limits override the global ones key by key', () => {
    const guard = protocolGuardStage.create(routeWithLimits({ allowed_methods: ['GET', 'TRACE'], max_uri_length: 10 }), deps);
    assert.equal(guard.run(makeContext({ request: { method: 'TRACE' } })), undefined);
    const post = guard.run(makeContext({ request: { method: 'POST' } })) as Verdict;
    assert.equal(post.action === 'deny' && post.headers?.Allow, 'GET, TRACE');
    const long = guard.run(makeContext({ request: { path: '/0123456789' } })) as Verdict;
    assert.equal(long.action === 'deny' && long.status, 414);
    // max_body_bytes still comes from the global limits
    const big = guard.run(makeContext({ request: { method: 'GET' }, contentLength: 1001 })) as Verdict;
    assert.equal(big.action === 'deny' && big.status, 413);
  });

  test('routeLimits keeps global values for keys the route leaves out', () => {
    const merged = routeLimits(routeWithLimits({ max_header_count: 3, max_body_bytes: undefined }), deps.config.limits);
    assert.equal(merged.max_header_count, 3);
    assert.equal(merged.max_uri_length, 64);
    assert.equal(merged.max_body_bytes, 1000);
    assert.equal(routeLimits(makeRoute(), deps.config.limits), deps.config.limits);
  });

  test('answers synchronously', () => {
    const r = guardFor().run(makeContext());
    assert.equal(r, undefined);
    const d = guardFor().run(makeContext({ request: { method: 'TRACE' } }));
    assert.ok(d && typeof (d as unknown as Promise<unknown>).then !== 'function');
  });
});
