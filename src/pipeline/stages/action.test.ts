import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StageResult } from '../stage.js';
import { actionStage } from './action.js';
import { makeContext, makeDeps, makeRoute, runSync } from './test-context.js';

// [title, route.action, expected verdict]
const CASES: [string, unknown, StageResult][] = [
  ['no action: allow', undefined, undefined],
  ['allow', { type: 'allow' }, undefined],
  ['empty action object defaults to allow', {}, undefined],
  [
    'deny with the default body',
    { type: 'deny' },
    { action: 'deny', status: 403, reason: 'denied by route action', body: { error: 'forbidden' } },
  ],
  [
    'deny with status and body',
    { type: 'deny', status: 410, body: { error: 'gone', see: 'https://example.test/moved' } },
    { action: 'deny', status: 410, reason: 'denied by route action', body: { error: 'gone', see: 'https://example.test/moved' } },
  ],
  [
    'tarpit with defaults: 2 s then allow',
    { type: 'tarpit' },
    // biome-ignore lint/suspicious/noThenProperty: the Verdict contract names it `then`
    { action: 'tarpit', delayMs: 2000, then: 'allow', status: 403, reason: 'tarpit by route action' },
  ],
  [
    'tarpit then deny',
    { type: 'tarpit', delay: '750ms', tarpit_then: 'deny', status: 429 },
    // biome-ignore lint/suspicious/noThenProperty: the Verdict contract names it `then`
    { action: 'tarpit', delayMs: 750, then: 'deny', status: 429, reason: 'tarpit by route action' },
  ],
];

describe('action', () => {
  for (const [title, action, expected] of CASES) {
    test(title, () => {
      const stage = actionStage.create(makeRoute(action === undefined ? {} : { action }), makeDeps());
      assert.deepEqual(runSync(stage, makeContext()), expected);
    });
  }

  test('the configured body is copied, not shared with the config', () => {
    const route = makeRoute({ action: { type: 'deny', body: { error: 'x' } } });
    const r = runSync(actionStage.create(route, makeDeps()), makeContext());
    (route.action?.body as Record<string, unknown>).error = 'changed';
    assert.deepEqual(r && r.action === 'deny' && r.body, { error: 'x' });
  });
});
