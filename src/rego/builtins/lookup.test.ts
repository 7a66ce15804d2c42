import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import { format, RSet, type Value } from '../value.js';
import './lookup.js';
import { type BuiltinContext, getBuiltin } from './registry.js';

function ctx(): BuiltinContext {
  return { cache: new Map() } as unknown as BuiltinContext;
}

function lookup(name: Value, c = ctx()): Value | undefined {
  const def = getBuiltin('net.lookup_ip_addr');
  assert.ok(def);
  assert.equal(def.nondeterministic, true);
  return def.fn([name], c);
}

test('net.lookup_ip_addr resolves localhost to loopback addresses', () => {
  const got = lookup('localhost');
  assert.ok(got instanceof RSet && got.size > 0);
  for (const a of got)
    assert.ok(a === '127.0.0.1' || a === '::1' || (typeof a === 'string' && a.startsWith('127.')), format(got));
});

test('net.lookup_ip_addr returns literal addresses as themselves', () => {
  assert.equal(format(lookup('10.0.0.0') as Value), '{"10.0.0.0"}');
  assert.equal(format(lookup('::') as Value), '{"::"}');
});

test('net.lookup_ip_addr caches per query', () => {
  const c = ctx();
  const first = lookup('localhost', c);
  assert.equal(lookup('localhost', c), first);
});

test('net.lookup_ip_addr errors are builtin errors', () => {
  for (const [arg, msg] of [
    ['no-such-host.invalid', 'net.lookup_ip_addr: lookup no-such-host.invalid: no such host'],
    ['', 'net.lookup_ip_addr: lookup : no such host'],
  ] as const) {
    assert.throws(
      () => lookup(arg),
      (e: unknown) => e instanceof BuiltinError && e.code === 'eval_builtin_error' && e.message === msg,
    );
  }
  assert.throws(
    () => lookup(1),
    (e: unknown) => e instanceof BuiltinError && e.message === 'net.lookup_ip_addr: operand 1 must be string but got number',
  );
});
