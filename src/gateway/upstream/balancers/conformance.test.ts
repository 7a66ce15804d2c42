// Every balancer in the registry honours the same contract.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BALANCERS } from '../../../config/schema.js';
import { balancers, createBalancer } from './registry.js';
import { fakeContext, fakeTargets } from './testing.js';

test('the registry has exactly the balancers the config schema names', () => {
  assert.deepEqual(Object.keys(balancers).sort(), [...BALANCERS].sort());
});

test('an unknown balancer name is a clear error', () => {
  const targets = fakeTargets([1]);
  assert.throws(() => createBalancer('random', fakeContext(targets)), /unknown balancer "random".*round_robin/);
  assert.throws(() => createBalancer('toString', fakeContext(targets)), /unknown balancer "toString"/);
});

for (const name of BALANCERS) {
  describe(`balancer ${name}`, () => {
    test('always returns one of the candidates', () => {
      const targets = fakeTargets([1, 2, 3, 1, 5]);
      const b = createBalancer(name, fakeContext(targets));
      const subset = [targets[1], targets[3], targets[4]] as typeof targets;
      for (let i = 0; i < 500; i++) {
        const t = b.pick(subset, `key-${i}`);
        assert.ok(subset.includes(t), `${t.id} is not a candidate`);
        b.observe?.(t, 5 + (i % 7), i % 11 === 0);
      }
    });

    test('a single candidate is always chosen', () => {
      const targets = fakeTargets([1, 2, 3]);
      const b = createBalancer(name, fakeContext(targets));
      const only = [targets[2]] as typeof targets;
      for (let i = 0; i < 20; i++) assert.equal(b.pick(only, `k${i}`), targets[2]);
    });

    test('every candidate gets traffic over many picks and keys', () => {
      const targets = fakeTargets([1, 1, 1, 1]);
      const b = createBalancer(name, fakeContext(targets));
      const seen = new Set<string>();
      for (let i = 0; i < 400; i++) seen.add(b.pick(targets, `user-${i}`).id);
      assert.equal(seen.size, 4);
    });
  });
}
