import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { defaultConfigYaml } from './defaults.js';
import { ConfigError, loadConfigFile, parseConfig } from './load.js';

const MIN = `
listeners:
  - name: web
    address: :8080
    protocol: http
upstreams:
  app:
    targets: [http://127.0.0.1:3000]
routes:
  - name: all
    upstream: app
`;

function issuesOf(text: string, env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    parseConfig(text, 'shieldx.yaml', env);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the config to be rejected');
}

describe('config loading', () => {
  test('a minimal config gets every default', () => {
    const { config } = parseConfig(MIN, 'x.yaml', {});
    assert.deepEqual(config.listeners[0]?.address, { host: '0.0.0.0', port: 8080 });
    assert.equal(config.limits.max_header_bytes, 16384);
    assert.equal(config.limits.header_timeout, 10_000);
    assert.equal(config.upstreams.app?.balancer, 'round_robin');
    assert.equal(config.upstreams.app?.retries.attempts, 2);
    assert.equal(config.upstreams.app?.circuit_breaker.failure_threshold, 5);
    assert.equal(config.routes[0]?.match.path_type, 'prefix');
    assert.equal(config.admin.address.port, 9090);
  });

  test('the embedded default config is valid', () => {
    const { config } = parseConfig(defaultConfigYaml('http://127.0.0.1:3000'), '(embedded)', {});
    assert.equal(config.listeners.length, 2);
    assert.equal(config.listeners[1]?.tls?.min_version, 'TLSv1.3');
  });

  test('durations and sizes parse; bad ones name the key and line', () => {
    const ok = parseConfig(`${MIN}limits:\n  header_timeout: 250ms\n  max_body_bytes: 2MiB\n`, 'x', {});
    assert.equal(ok.config.limits.header_timeout, 250);
    assert.equal(ok.config.limits.max_body_bytes, 2 * 1024 * 1024);
    const err = issuesOf(`${MIN}limits:\n  header_timeout: soon\n`);
    const issue = err.issues.find((i) => i.path === 'limits.header_timeout');
    assert.ok(issue, JSON.stringify(err.issues));
    assert.equal(issue.line, 13);
    assert.match(err.message, /shieldx\.yaml:13:\d+: limits\.header_timeout: invalid duration "soon"/);
  });

  test('unknown keys, unknown upstream references and duplicates are errors with paths', () => {
    const err = issuesOf(`${MIN.replace('upstream: app', 'upstream: nope')}colour: blue\n`);
    const paths = err.issues.map((i) => i.path);
    assert.ok(paths.includes('routes[0].upstream'), paths.join());
    assert.ok(
      err.issues.some((i) => i.message.includes('colour')),
      JSON.stringify(err.issues),
    );
    const upstreamIssue = err.issues.find((i) => i.path === 'routes[0].upstream');
    assert.equal(upstreamIssue?.line, 11);
    const dup = issuesOf(MIN.replace('routes:\n', 'routes:\n  - name: all\n    upstream: app\n'));
    assert.ok(dup.issues.some((i) => /duplicate route name/.test(i.message)));
  });

  test('YAML syntax errors carry line and column', () => {
    const err = issuesOf('listeners:\n  - name: a\n   bad: [\n');
    assert.ok(err.issues[0]?.line !== undefined);
    assert.match(err.issues[0]?.message ?? '', /^YAML:/);
  });

  test('duplicate YAML keys are rejected', () => {
    const err = issuesOf(`${MIN}logging: {level: info}\nlogging: {level: debug}\n`);
    assert.match(err.message, /YAML/);
  });

  test('environment overrides apply and are reported as such when invalid', () => {
    const { config } = parseConfig(MIN, 'x', {
      SHIELDX_DATABASE_URL: 'postgres://db/x',
      SHIELDX_REDIS_URL: 'redis://r:6379',
      SHIELDX__LIMITS__MAX_URI_LENGTH: '4096',
      SHIELDX__LISTENERS__0__ADDRESS: '127.0.0.1:9999',
    });
    assert.equal(config.store.database_url, 'postgres://db/x');
    assert.equal(config.store.redis_url, 'redis://r:6379');
    assert.equal(config.limits.max_uri_length, 4096);
    assert.deepEqual(config.listeners[0]?.address, { host: '127.0.0.1', port: 9999 });
    const err = issuesOf(MIN, { SHIELDX__LIMITS__MAX_URI_LENGTH: 'lots' });
    assert.match(err.issues[0]?.message ?? '', /environment override/);
  });

  test('the revision hash changes with content and with overrides', () => {
    const a = parseConfig(MIN, 'x', {});
    const b = parseConfig(`${MIN}\n# comment\n`, 'x', {});
    const c = parseConfig(MIN, 'x', { SHIELDX_LOG_LEVEL: 'debug' });
    assert.notEqual(a.sha256, b.sha256);
    assert.notEqual(a.sha256, c.sha256);
    assert.equal(a.sha256, parseConfig(MIN, 'x', {}).sha256);
  });

  test('tls and mTLS consistency checks', () => {
    const text = `${MIN.replace('protocol: http', 'protocol: https\n    tls:\n      cert: a.pem\n      client_auth:\n        mode: require')}`;
    const err = issuesOf(text);
    const msgs = err.issues.map((i) => `${i.path}: ${i.message}`).join('\n');
    assert.match(msgs, /cert and tls\.key must be given together/);
    assert.match(msgs, /client_auth\.ca is required/);
  });

  test('loadConfigFile reports unreadable files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'shieldx-cfg-'));
    assert.throws(() => loadConfigFile(path.join(dir, 'missing.yaml'), {}), /cannot read file/);
    const f = path.join(dir, 'ok.yaml');
    writeFileSync(f, MIN);
    assert.equal(loadConfigFile(f, {}).baseDir, dir);
  });
});
