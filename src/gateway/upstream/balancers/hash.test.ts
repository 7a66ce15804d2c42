import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fmix32, fnv1a32, pairHash } from './hash.js';

test('FNV-1a 32 matches the reference vectors', () => {
  assert.equal(fnv1a32(''), 0x811c9dc5);
  assert.equal(fnv1a32('a'), 0xe40c292c);
  assert.equal(fnv1a32('foobar'), 0xbf9cf968);
});

test('fmix32 is unsigned, fixes 0 and scatters neighbours', () => {
  assert.equal(fmix32(0), 0);
  const outs = new Set<number>();
  for (let i = 1; i <= 1000; i++) {
    const h = fmix32(i);
    assert.ok(h >= 0 && h <= 0xffffffff);
    outs.add(h >>> 24);
  }
  // 1000 consecutive inputs land in most of the 256 top-byte buckets.
  assert.ok(outs.size > 240, `${outs.size} buckets`);
});

test('pairHash of one key differs across seeds', () => {
  const k = fnv1a32('10.0.0.1');
  assert.notEqual(pairHash(k, 1), pairHash(k, 2));
});
