import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../builtins/index.js';
import { getBuiltin } from '../builtins/registry.js';
import type { Value } from '../value.js';
import { fastPathFor } from './fastpaths.js';

// The fast path must agree with the builtin wherever it answers, and leave the rest to it.
const CIDRS = [
  '10.0.0.0/8',
  '10.1.2.3/32',
  '0.0.0.0/0',
  '192.168.0.0/16',
  '2001:db8::/32',
  '::/0',
  '::ffff:10.0.0.0/104',
  '::ffff:0:0/96',
  'fd00::/8',
  'not-a-cidr',
  '10.0.0.0/33',
];
const ADDRS = [
  '10.0.0.1',
  '10.255.255.255',
  '11.0.0.0',
  '10.1.2.3',
  '192.168.255.255',
  '0.0.0.0',
  '::ffff:10.0.0.1',
  '::ffff:11.0.0.1',
  '2001:db8::1',
  '2001:db9::',
  'fdff:ffff::1',
  '::1',
  '10.0.0.0/24',
  'garbage',
  '',
];

test('net.cidr_contains fast path agrees with the builtin', () => {
  const def = getBuiltin('net.cidr_contains');
  assert.ok(def);
  const fast = fastPathFor(def);
  assert.ok(fast);
  const ctx = {} as never;
  let answered = 0;
  // Twice, so the second pass goes through the parsed-operand tables.
  for (let pass = 0; pass < 2; pass++) {
    for (const b of ADDRS) {
      for (const a of CIDRS) {
        const args: Value[] = [a, b];
        const got = fast(args);
        if (got === undefined) continue;
        answered++;
        assert.equal(got, def.fn(args, ctx), `${a} contains ${b}`);
      }
    }
  }
  assert.ok(answered > 100);
  assert.equal(fast(['10.0.0.0/8', 10]), undefined);
  assert.equal(fast(['10.0.0.0/8', '10.0.0.0/24']), undefined);
  assert.equal(fast(['bad', '10.0.0.1']), undefined);
});
