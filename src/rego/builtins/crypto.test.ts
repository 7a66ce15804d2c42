import assert from 'node:assert/strict';
import { test } from 'node:test';
import './crypto.js';
import type { Value } from '../value.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();

const call = (name: string, ...args: Value[]) => callBuiltin(name, args, ctx);

test('hash digests (FIPS 180 / RFC 1321 vectors and UTF-8 input)', () => {
  const cases: [string, string, string][] = [
    ['crypto.md5', 'abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['crypto.md5', '', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['crypto.sha1', 'abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['crypto.sha256', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['crypto.sha256', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    // "é" is hashed as its two UTF-8 bytes (c3 a9), not as Latin-1 e9.
    ['crypto.md5', 'é', '66ddcd97cfdeabb2f6fb8a999b4bc76f'],
  ];
  for (const [name, input, want] of cases) assert.equal(call(name, input), want, `${name}(${JSON.stringify(input)})`);
});

test('HMACs (RFC 2202 / RFC 4231 "Jefe" vectors)', () => {
  const msg = 'what do ya want for nothing?';
  const cases: [string, string][] = [
    ['crypto.hmac.md5', '750c783e6ab0b503eaa86e310a5db738'],
    ['crypto.hmac.sha1', 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
    ['crypto.hmac.sha256', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
    [
      'crypto.hmac.sha512',
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    ],
  ];
  for (const [name, want] of cases) assert.equal(call(name, msg, 'Jefe'), want, name);
});

test('crypto.hmac.equal', () => {
  const cases: [string, string, boolean][] = [
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'ab', false],
    ['', '', true],
    ['ü', 'ü', true],
  ];
  for (const [a, b, want] of cases) assert.equal(call('crypto.hmac.equal', a, b), want, `${a} vs ${b}`);
});

test('operand type errors name the operand', () => {
  const cases: [string, Value[], string][] = [
    ['crypto.md5', [1], 'crypto.md5: operand 1 must be string but got number'],
    ['crypto.hmac.sha256', ['x', null], 'crypto.hmac.sha256: operand 2 must be string but got null'],
    ['crypto.hmac.equal', [[], 'x'], 'crypto.hmac.equal: operand 1 must be string but got array'],
  ];
  for (const [name, args, msg] of cases) {
    assert.throws(
      () => call(name, ...args),
      (e: Error & { code?: string }) => e.message === msg && e.code === 'eval_type_error',
    );
  }
});
