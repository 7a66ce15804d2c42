import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import { fromJSON, RObject } from '../value.js';
import { hostAllowed } from './http-prepare.js';
import { checkRequestKeys, parseGoURL, URLError } from './http-request.js';

test('parseGoURL gives Go url.Parse host, escaped path and raw query', () => {
  const cases: [string, string, string, string][] = [
    ['http://example.com', 'example.com', '', ''],
    ['https://h:8443/a/b?x=1&y=%20', 'h:8443', '/a/b', 'x=1&y=%20'],
    ['http://h/a%2Fb', 'h', '/a%2Fb', ''],
    ['http://h/a b/ä', 'h', '/a%20b/%C3%A4', ''],
    ['http://h/a!b(c)', 'h', '/a!b(c)', ''],
    ['http://user:pw@[::1]:80/p#frag', '[::1]:80', '/p', ''],
  ];
  for (const [raw, host, path, query] of cases) {
    const u = parseGoURL(raw);
    assert.deepEqual([u.host, u.escapedPath, u.rawQuery], [host, path, query], raw);
  }
  const errors: [string, string][] = [
    ['http://h/%zz', 'parse "http://h/%zz": invalid URL escape "%zz"'],
    ['http://h:port/', 'parse "http://h:port/": invalid port ":port" after host'],
    [':nope', 'parse ":nope": missing protocol scheme'],
    ['1a:b', 'parse "1a:b": first path segment in URL cannot contain colon'],
    ['http://h/\n', 'parse "http://h/\\n": net/url: invalid control character in URL'],
  ];
  for (const [raw, msg] of errors) {
    assert.throws(
      () => parseGoURL(raw),
      (e: unknown) => e instanceof URLError && e.message === msg,
      raw,
    );
  }
});

test('hostAllowed matches host, host:port and wildcard patterns', () => {
  const cases: [string[], string, string, boolean][] = [
    [['example.com'], 'https', 'example.com', true],
    [['example.com'], 'https', 'EXAMPLE.com:8443', true],
    [['example.com:443'], 'https', 'example.com', true],
    [['example.com:443'], 'http', 'example.com', false],
    [['example.com:8080'], 'http', 'example.com:8080', true],
    [['*.example.com'], 'http', 'api.example.com', true],
    [['*.example.com'], 'http', 'example.com', false],
    [['*.example.com'], 'http', 'badexample.com', false],
    [['*'], 'http', 'anything', true],
    [['::1'], 'http', '[::1]:9000', true],
    [[], 'http', 'example.com', false],
  ];
  for (const [patterns, scheme, host, want] of cases)
    assert.equal(hostAllowed(patterns, scheme, host), want, `${patterns} ${host}`);
});

test('checkRequestKeys reports unknown and missing keys as OPA does', () => {
  assert.throws(
    () => checkRequestKeys('http.send', fromJSON({ method: 'get', url: 'x', b: 1, a: 2 }) as RObject, 1),
    (e: unknown) => e instanceof BuiltinError && e.message === 'http.send: operand 1 invalid request parameters(s): {"a", "b"}',
  );
  assert.throws(
    () => checkRequestKeys('http.send', new RObject(), 1),
    (e: unknown) => e instanceof BuiltinError && e.code === 'eval_type_error',
  );
});
