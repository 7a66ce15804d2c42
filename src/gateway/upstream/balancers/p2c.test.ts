import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PowerOfTwoChoicesBalancer } from './p2c.js';
import { fakeTargets, tally } from './testing.js';

/** A random source that replays the given values in a loop. */
function replay(values: readonly number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

test('never picks the most loaded of three when two others are idle (every pair)', () => {
  const targets = fakeTargets([1, 1, 1]);
  for (let loaded = 0; loaded < 3; loaded++) {
    for (const t of targets) t.active = t.index === loaded ? 9 : 0;
    // Every (first, second) draw: first in thirds, second in halves of the rest.
    const draws = [0, 0.34, 0.67].flatMap((r1) => [0, 0.5].flatMap((r2) => [r1, r2]));
    const lb = new PowerOfTwoChoicesBalancer(replay(draws));
    for (let i = 0; i < 6; i++) assert.notEqual(lb.pick(targets).index, loaded);
  }
});

test('the two choices are distinct, so the loaded target always loses', () => {
  const targets = fakeTargets([1, 1, 1]);
  (targets[1] as (typeof targets)[0]).active = 3;
  // Draws that would pick index 1 twice if the second choice were not shifted past the first.
  const lb = new PowerOfTwoChoicesBalancer(replay([0.5, 0.5]));
  assert.equal(lb.pick(targets).index, 2);
});

test('random draws equal to 1 stay in range', () => {
  const targets = fakeTargets([1, 1, 1]);
  const lb = new PowerOfTwoChoicesBalancer(() => 0.9999999999999999);
  assert.ok(targets.includes(lb.pick(targets)));
});

test('with Math.random the loaded target is never chosen and the idle ones share', () => {
  const targets = fakeTargets([1, 1, 1]);
  (targets[0] as (typeof targets)[0]).active = 5;
  const lb = new PowerOfTwoChoicesBalancer(Math.random);
  const counts = tally(Array.from({ length: 3000 }, () => lb.pick(targets)));
  assert.equal(counts.get(targets[0]?.id as string), undefined);
  for (const t of targets.slice(1)) assert.ok((counts.get(t.id) ?? 0) > 1200, `${t.id}: ${counts.get(t.id)}`);
});

test('load is compared per unit of weight', () => {
  const targets = fakeTargets([1, 4]);
  const [small, big] = targets as [(typeof targets)[0], (typeof targets)[0]];
  small.active = 1;
  big.active = 3;
  const lb = new PowerOfTwoChoicesBalancer(replay([0, 0, 0.9, 0]));
  assert.equal(lb.pick(targets), big);
  assert.equal(lb.pick(targets), big);
});
