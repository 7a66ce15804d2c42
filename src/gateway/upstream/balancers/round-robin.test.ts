import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RoundRobinBalancer } from './round-robin.js';
import { fakeContext, fakeTargets, tally } from './testing.js';

test('weights 1/2/3 give the smooth nginx sequence c b a c b c, repeating', () => {
  const targets = fakeTargets([1, 2, 3]);
  const b = new RoundRobinBalancer(fakeContext(targets));
  const names = ['a', 'b', 'c'];
  const seq = Array.from({ length: 12 }, () => names[b.pick(targets).index]).join('');
  assert.equal(seq, 'cbacbccbacbc');
});

test('6000 picks over weights 1/2/3 split exactly 1000/2000/3000', () => {
  const targets = fakeTargets([1, 2, 3]);
  const b = new RoundRobinBalancer(fakeContext(targets));
  const counts = tally(Array.from({ length: 6000 }, () => b.pick(targets)));
  assert.deepEqual(
    targets.map((t) => counts.get(t.id)),
    [1000, 2000, 3000],
  );
});

test('5/1/1 interleaves instead of bursting', () => {
  const targets = fakeTargets([5, 1, 1]);
  const b = new RoundRobinBalancer(fakeContext(targets));
  const seq = Array.from({ length: 7 }, () => 'abc'[b.pick(targets).index]).join('');
  assert.equal(seq, 'aabacaa');
});

test('equal weights rotate through every target in order', () => {
  const targets = fakeTargets([1, 1, 1]);
  const b = new RoundRobinBalancer(fakeContext(targets));
  const seq = Array.from({ length: 6 }, () => b.pick(targets).index);
  assert.deepEqual(seq, [0, 1, 2, 0, 1, 2]);
});

test('with a target left out the rest keep their weighted shares', () => {
  const targets = fakeTargets([1, 2, 3]);
  const b = new RoundRobinBalancer(fakeContext(targets));
  const subset = [targets[0], targets[2]] as typeof targets;
  const counts = tally(Array.from({ length: 4000 }, () => b.pick(subset)));
  assert.equal(counts.get(targets[1]?.id as string), undefined);
  assert.equal(counts.get(targets[0]?.id as string), 1000);
  assert.equal(counts.get(targets[2]?.id as string), 3000);
});

test('fractional weights keep their proportions', () => {
  const targets = fakeTargets([0.5, 1.5]);
  const b = new RoundRobinBalancer(fakeContext(targets));
  const counts = tally(Array.from({ length: 4000 }, () => b.pick(targets)));
  assert.equal(counts.get(targets[0]?.id as string), 1000);
  assert.equal(counts.get(targets[1]?.id as string), 3000);
});
