import assert from 'node:assert/strict';
import { test } from 'node:test';
import { routeSchema } from '../config/schema.js';
import { Router, normalizeHost } from './router.js';

const route = (r: object) => routeSchema.parse({ upstream: 'u', ...r });

test('routes match host, path type and method; first match wins', () => {
  const router = new Router(
    [
      route({ name: 'exact', match: { hosts: ['api.example.com'], path: '/health', path_type: 'exact' } }),
      route({ name: 'wild', match: { hosts: ['*.example.com'], path: '/v1' } }),
      route({ name: 'glob', match: { path: '/files/*/raw', path_type: 'glob', methods: ['GET'] } }),
      route({ name: 'post-only', match: { path: '/submit', methods: ['POST'] } }),
      route({ name: 'fallback', match: { path: '/' } }),
    ].map((r) => ({ route: r, value: r.name })),
  );
  const cases: [string, string, string, string][] = [
    ['api.example.com', '/health', 'GET', 'exact'],
    ['api.example.com', '/health/x', 'GET', 'fallback'],
    ['a.example.com', '/v1/users', 'GET', 'wild'],
    ['example.com', '/v1/users', 'GET', 'fallback'],
    ['x', '/v1x', 'GET', 'fallback'],
    ['x', '/files/abc/raw', 'GET', 'glob'],
    ['x', '/files/abc/raw', 'PUT', 'fallback'],
    ['x', '/files/a/b/raw', 'GET', 'fallback'],
    ['x', '/submit', 'POST', 'post-only'],
    ['x', '/submit', 'GET', 'fallback'],
  ];
  for (const [host, path, method, want] of cases)
    assert.equal(router.match(host, path, method), want, `${method} ${host}${path}`);
});

test('no route → undefined', () => {
  const router = new Router([{ route: route({ name: 'a', match: { path: '/a', path_type: 'exact' } }), value: 1 }]);
  assert.equal(router.match('h', '/b', 'GET'), undefined);
});

test('normalizeHost strips ports, brackets and case', () => {
  assert.equal(normalizeHost('Example.COM:8443'), 'example.com');
  assert.equal(normalizeHost('[::1]:8443'), '::1');
  assert.equal(normalizeHost(undefined), '');
});
