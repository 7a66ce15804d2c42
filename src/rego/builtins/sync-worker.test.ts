import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { callSync, SyncCallError } from './sync-worker.js';

test('callSync blocks until the helper answers', () => {
  assert.deepEqual(callSync<{ id: number }>('sleep', { ms: 20 }, 5000).id > 0, true);
  const r = callSync<{ addresses: string[] }>('lookup', { name: '127.0.0.1' }, 5000);
  assert.deepEqual(r.addresses, ['127.0.0.1']);
});

test('callSync gives up at its deadline and recovers for the next call', () => {
  assert.throws(
    () => callSync('sleep', { ms: 5000 }, 50),
    (e: unknown) => e instanceof SyncCallError && e.timedOut && e.code === 'ETIMEDOUT',
  );
  // A fresh helper answers the next call; the late answer of the old one is never seen.
  assert.ok(callSync('sleep', { ms: 1 }, 5000));
});

test('callSync reports failures of the work as SyncCallError', () => {
  assert.throws(
    () => callSync('nope', {}, 5000),
    (e: unknown) => e instanceof SyncCallError && !e.timedOut && /unknown operation/.test(e.message),
  );
});

test('the helper thread does not keep the process alive', () => {
  const script = `import('./src/rego/builtins/sync-worker.ts').then((m) => { m.callSync('sleep', { ms: 1 }, 5000); console.log('done'); });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'done');
});
