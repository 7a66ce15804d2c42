import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileKeyExpr } from './key-expr.js';
import { StageConfigError } from './stage.js';
import { makeContext } from './stages/test-context.js';

const ctx = makeContext({
  request: {
    method: 'POST',
    host: 'shop.example',
    path: '/cart/add',
    client_ip: '2001:db8::7',
    headers: { host: 'shop.example', 'x-api-key': 'k-123', 'x-multi': ['first', 'second'], 'x-empty': '' },
  },
  route: { name: 'shop' },
  principal: { tenant: 'acme' },
});
const anon = makeContext({ request: { client_ip: '198.51.100.4' } });

// [expression, context, expected key]
const CASES: [string, ReturnType<typeof makeContext>, string][] = [
  ['ip', ctx, '2001:db8::7'],
  ['ip', anon, '198.51.100.4'],
  ['tenant', ctx, 'acme'],
  ['tenant', anon, '-'],
  ['route', ctx, 'shop'],
  ['path', ctx, '/cart/add'],
  ['method', ctx, 'POST'],
  ['host', ctx, 'shop.example'],
  ['header:x-api-key', ctx, 'k-123'],
  ['header:X-API-Key', ctx, 'k-123'],
  ['header:x-missing', ctx, '-'],
  ['header:x-empty', ctx, '-'],
  ['header:x-multi', ctx, 'first'],
  ['ip+route', ctx, '2001:db8::7|shop'],
  [' ip + route ', ctx, '2001:db8::7|shop'],
  ['IP+Route', ctx, '2001:db8::7|shop'],
  ['tenant+header:x-api-key+method', ctx, 'acme|k-123|POST'],
  ['tenant+ip', anon, '-|198.51.100.4'],
];

describe('compileKeyExpr', () => {
  for (const [expr, c, want] of CASES) {
    test(`${JSON.stringify(expr)} -> ${want}`, () => {
      assert.equal(compileKeyExpr(expr)(c), want);
    });
  }

  test('separator inside values is escaped so distinct value pairs never collide', () => {
    const fn = compileKeyExpr('header:x-a+header:x-b');
    const k1 = fn(makeContext({ request: { headers: { 'x-a': 'a|b', 'x-b': 'c' } } }));
    const k2 = fn(makeContext({ request: { headers: { 'x-a': 'a', 'x-b': 'b|c' } } }));
    const k3 = fn(makeContext({ request: { headers: { 'x-a': 'a%7Cb', 'x-b': 'c' } } }));
    assert.equal(k1, 'a%7Cb|c');
    assert.equal(k2, 'a|b%7Cc');
    assert.equal(k3, 'a%257Cb|c');
    assert.equal(new Set([k1, k2, k3]).size, 3);
  });

  test('a single part is not escaped (its value is the whole key)', () => {
    assert.equal(compileKeyExpr('header:x-a')(makeContext({ request: { headers: { 'x-a': 'a|b%' } } })), 'a|b%');
  });

  // [expression, message fragment]
  const BAD: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['ip+cookie', /unknown part "cookie"/],
    ['ip+', /unknown part ""/],
    ['header:', /invalid header name/],
    ['header:bad name', /invalid header name/],
    ['user', /unknown part "user"/],
  ];
  for (const [expr, msg] of BAD) {
    test(`rejects ${JSON.stringify(expr)}`, () => {
      assert.throws(
        () => compileKeyExpr(expr, ['routes', 0, 'rate_limits', 0, 'key']),
        (err: unknown) =>
          err instanceof StageConfigError && msg.test(err.message) && err.path.join('.') === 'routes.0.rate_limits.0.key',
      );
    });
  }
});
