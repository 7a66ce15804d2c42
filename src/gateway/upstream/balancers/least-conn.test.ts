import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LeastConnBalancer } from './least-conn.js';
import { fakeTargets, tally } from './testing.js';

test('prefers the idle target', () => {
  const targets = fakeTargets([1, 1, 1]);
  const [a, b, c] = targets as [(typeof targets)[0], (typeof targets)[0], (typeof targets)[0]];
  a.active = 4;
  b.active = 0;
  c.active = 2;
  const lb = new LeastConnBalancer();
  for (let i = 0; i < 10; i++) assert.equal(lb.pick(targets), b);
});

test('ties rotate instead of always taking the first target', () => {
  const targets = fakeTargets([1, 1, 1]);
  const lb = new LeastConnBalancer();
  const counts = tally(Array.from({ length: 300 }, () => lb.pick(targets)));
  assert.deepEqual(
    targets.map((t) => counts.get(t.id)),
    [100, 100, 100],
  );
});

test('compares in-flight per unit of weight', () => {
  const targets = fakeTargets([1, 4]);
  const [small, big] = targets as [(typeof targets)[0], (typeof targets)[0]];
  small.active = 1;
  big.active = 3; // 0.75 per weight, less loaded than 1 per weight
  const lb = new LeastConnBalancer();
  for (let i = 0; i < 4; i++) assert.equal(lb.pick(targets), big);
  big.active = 5; // 1.25 per weight
  for (let i = 0; i < 4; i++) assert.equal(lb.pick(targets), small);
});

test('spreads concurrent attempts evenly when each pick stays in flight', () => {
  const targets = fakeTargets([1, 1, 1]);
  const lb = new LeastConnBalancer();
  for (let i = 0; i < 30; i++) lb.pick(targets).active++;
  assert.deepEqual(
    targets.map((t) => t.active),
    [10, 10, 10],
  );
});
