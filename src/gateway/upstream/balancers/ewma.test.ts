import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EWMA_TAU_MS, EwmaBalancer } from './ewma.js';
import { fakeContext, fakeTargets, tally } from './testing.js';

function setup(weights = [1, 1, 1]) {
  let now = 1_000;
  const clock = { advance: (ms: number) => void (now += ms) };
  const targets = fakeTargets(weights);
  const lb = new EwmaBalancer(fakeContext(targets, { now: () => now, failurePenaltyMs: 1_000 }));
  return { targets, lb, clock };
}

test('prefers the fast target after latencies are fed', () => {
  const { targets, lb, clock } = setup();
  const latency = [80, 10, 40];
  for (let round = 0; round < 20; round++) {
    for (const t of targets) lb.observe(t, latency[t.index] as number, false);
    clock.advance(100);
  }
  assert.ok(Math.abs((lb.estimate(1) as number) - 10) < 0.5);
  const counts = tally(Array.from({ length: 100 }, () => lb.pick(targets)));
  assert.equal(counts.get(targets[1]?.id as string), 100);
});

test('in-flight attempts push traffic away from the fastest target', () => {
  const { targets, lb, clock } = setup();
  const latency = [80, 10, 40];
  for (const t of targets) lb.observe(t, latency[t.index] as number, false);
  clock.advance(1);
  (targets[1] as (typeof targets)[0]).active = 4; // 10 x 5 = 50 > 40 x 1
  assert.equal(lb.pick(targets), targets[2]);
});

test('a target without samples is tried first (optimistic start)', () => {
  const { targets, lb, clock } = setup();
  lb.observe(targets[0] as (typeof targets)[0], 5, false);
  lb.observe(targets[1] as (typeof targets)[0], 5, false);
  clock.advance(10);
  assert.equal(lb.estimate(2), undefined);
  assert.equal(lb.pick(targets), targets[2]);
});

test('all-unknown targets spread by in-flight count rather than piling onto one', () => {
  const { targets, lb } = setup();
  for (let i = 0; i < 9; i++) lb.pick(targets).active++;
  assert.deepEqual(
    targets.map((t) => t.active),
    [3, 3, 3],
  );
});

test('the estimate follows a change in latency over about tau', () => {
  const { targets, lb, clock } = setup([1]);
  const t = targets[0] as (typeof targets)[0];
  lb.observe(t, 10, false);
  for (let i = 0; i < 10; i++) {
    clock.advance(EWMA_TAU_MS / 10);
    lb.observe(t, 110, false);
  }
  // After one tau of 110 ms samples, about 1 - 1/e of the way from 10 to 110.
  const e = lb.estimate(0) as number;
  assert.ok(e > 70 && e < 80, `estimate ${e}`);
});

test('failures count at least the failure penalty', () => {
  const { targets, lb, clock } = setup();
  for (const t of targets) lb.observe(t, 20, false);
  clock.advance(1_000);
  lb.observe(targets[0] as (typeof targets)[0], 1, true); // fast "connection refused"
  assert.ok((lb.estimate(0) as number) > 50);
  assert.notEqual(lb.pick(targets), targets[0]);
});

test('an idle slow target decays and gets probed again', () => {
  const { targets, lb, clock } = setup([1, 1]);
  const [slow, fast] = targets as [(typeof targets)[0], (typeof targets)[0]];
  lb.observe(slow, 500, false);
  lb.observe(fast, 20, false);
  assert.equal(lb.pick(targets), fast);
  // The fast one keeps being sampled; the slow one sits idle for a long time.
  for (let i = 0; i < 60; i++) {
    clock.advance(1_000);
    lb.observe(fast, 20, false);
  }
  assert.equal(lb.pick(targets), slow);
});

test('bad latency values do not poison the estimate', () => {
  const { targets, lb, clock } = setup([1]);
  const t = targets[0] as (typeof targets)[0];
  lb.observe(t, 10, false);
  clock.advance(100);
  lb.observe(t, Number.NaN, false);
  lb.observe(t, -5, false);
  assert.ok(Number.isFinite(lb.estimate(0)));
});
