import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RendezvousBalancer } from './rendezvous.js';
import { fakeContext, fakeTargets, tally } from './testing.js';

const keys = Array.from({ length: 20_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);

test('a key keeps its target, across calls and across instances', () => {
  const targets = fakeTargets([1, 1, 1, 1]);
  const a = new RendezvousBalancer(fakeContext(targets));
  const b = new RendezvousBalancer(fakeContext(targets));
  for (const k of keys.slice(0, 2000)) {
    const t = a.pick(targets, k);
    assert.equal(a.pick(targets, k), t);
    assert.equal(b.pick(targets, k), t);
  }
});

test('candidate order does not matter', () => {
  const targets = fakeTargets([1, 2, 3]);
  const lb = new RendezvousBalancer(fakeContext(targets));
  const reversed = [...targets].reverse();
  for (const k of keys.slice(0, 2000)) assert.equal(lb.pick(reversed, k), lb.pick(targets, k));
});

test('removing a target moves only its keys, spread over the others', () => {
  const targets = fakeTargets([1, 1, 1, 1]);
  const lb = new RendezvousBalancer(fakeContext(targets));
  const removed = targets[2] as (typeof targets)[0];
  const rest = targets.filter((t) => t !== removed);
  const moved = new Map<string, number>();
  let movedCount = 0;
  for (const k of keys) {
    const before = lb.pick(targets, k);
    const after = lb.pick(rest, k);
    if (before === removed) {
      movedCount++;
      moved.set(after.id, (moved.get(after.id) ?? 0) + 1);
    } else {
      assert.equal(after, before, `key ${k} moved from ${before.id} to ${after.id}`);
    }
  }
  assert.ok(movedCount > keys.length * 0.2 && movedCount < keys.length * 0.3, `moved ${movedCount}`);
  for (const t of rest) {
    const share = (moved.get(t.id) ?? 0) / movedCount;
    assert.ok(Math.abs(share - 1 / 3) < 0.04, `${t.id} got ${share} of the moved keys`);
  }
});

test('adding a target takes keys only onto itself', () => {
  const targets = fakeTargets([1, 1, 1, 1]);
  const lb = new RendezvousBalancer(fakeContext(targets));
  const three = targets.slice(0, 3);
  const added = targets[3] as (typeof targets)[0];
  for (const k of keys.slice(0, 5000)) {
    const after = lb.pick(targets, k);
    if (after !== added) assert.equal(after, lb.pick(three, k));
  }
});

test('weights 1/2/3 split keys in proportion within 2 points', () => {
  const targets = fakeTargets([1, 2, 3]);
  const lb = new RendezvousBalancer(fakeContext(targets));
  const counts = tally(keys.map((k) => lb.pick(targets, k)));
  targets.forEach((t, i) => {
    const share = (counts.get(t.id) ?? 0) / keys.length;
    const want = (i + 1) / 6;
    assert.ok(Math.abs(share - want) < 0.02, `${t.id}: ${share} vs ${want}`);
  });
});

test('equal weights split sequential keys evenly', () => {
  const targets = fakeTargets([1, 1, 1, 1, 1]);
  const lb = new RendezvousBalancer(fakeContext(targets));
  const counts = tally(Array.from({ length: 10_000 }, (_, i) => lb.pick(targets, `user-${i}`)));
  for (const t of targets) {
    const share = (counts.get(t.id) ?? 0) / 10_000;
    assert.ok(Math.abs(share - 0.2) < 0.02, `${t.id}: ${share}`);
  }
});

test('the mapping depends on target ids, not positions', () => {
  const targets = fakeTargets([1, 1, 1]);
  const shuffled = [targets[2], targets[0], targets[1]].map((t, index) => ({ ...(t as (typeof targets)[0]), index }));
  const a = new RendezvousBalancer(fakeContext(targets));
  const b = new RendezvousBalancer(fakeContext(shuffled));
  for (const k of keys.slice(0, 1000)) assert.equal(a.pick(targets, k).id, b.pick(shuffled, k).id);
});
