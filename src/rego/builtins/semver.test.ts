import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import type { Value } from '../value.js';
import './semver.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const call = (name: string, args: Value[]) => callBuiltin(name, args, ctx);

const valid = [
  '0.0.0',
  '1.0.0',
  '1.2.3',
  '10.20.30',
  '1.2.3-0',
  '1.2.3-0a',
  '1.2.3+01',
  '1.0.0-alpha',
  '1.0.0-alpha.1',
  '1.0.0-alpha-1',
  '1.0.0-0.3.7',
  '1.0.0-x.7.z.92',
  '1.0.0-x-y-z.--',
  '1.0.0+20130313144700',
  '1.0.0-beta+exp.sha.5114f85',
  '1.0.0+21AF26D3----117B344092BD',
  '99999999999999999999.0.0',
];
const invalid = [
  '1',
  '1.2',
  '1.2.3.4',
  '01.2.3',
  '1.02.3',
  '1.2.03',
  '1.2.3-01',
  '1.2.3-alpha.01',
  '1.2.3-',
  '1.2.3+',
  '1.2.3-+',
  '1.2.3-a..b',
  '1.2.3+a..b',
  '1.2.3x',
  '0x1.3.4',
  '-1.2.3',
  '+1.2.3',
  '1.+2.3',
  'v1.2.3',
  ' 1.2.3',
  '1.2.3 ',
  '0.88.0-11_e4e5dcabb',
  '0.88.0+11_e4e5dcabb',
  '1.2.3-é',
  '',
];

test('semver.is_valid follows SemVer 2.0.0', () => {
  for (const v of valid) assert.equal(call('semver.is_valid', [v]), true, v);
  for (const v of invalid) assert.equal(call('semver.is_valid', [v]), false, JSON.stringify(v));
  for (const v of [1, null, ['1.0.0']] as Value[]) assert.equal(call('semver.is_valid', [v]), false);
});

// Each version ranks above the next, per SemVer §11.
const descending = [
  '2.0.0',
  '1.10.0',
  '1.2.3',
  '1.2.3-rc.1-1-1hash',
  '1.2.3-a.b.c.10.d.5',
  '1.2.3-a.b.c.5.d.100',
  '1.2.3-a.b',
  '1.2.3-a.10',
  '1.2.3-a.5',
  '1.2.3-a',
  '1.2.3-5-foo',
  '1.2.3-5-Foo',
  '1.2.3-5',
  '1.2.3-4',
  '1.0.0',
  '1.0.0-rc.2',
  '1.0.0-rc.1',
  '1.0.0-beta.11',
  '1.0.0-beta.2',
  '1.0.0-beta',
  '1.0.0-alpha.beta',
  '1.0.0-alpha.1',
  '1.0.0-alpha',
  '0.99.0',
  '0.10.0',
  '0.9.9',
  '0.0.1',
  '0.0.0',
  '0.0.0-foo',
];

test('semver.compare orders by precedence', () => {
  for (let i = 0; i + 1 < descending.length; i++) {
    const a = descending[i] as string;
    const b = descending[i + 1] as string;
    assert.equal(call('semver.compare', [a, b]), 1, `${a} > ${b}`);
    assert.equal(call('semver.compare', [b, a]), -1, `${b} < ${a}`);
  }
  assert.equal(call('semver.compare', ['1.0.0', '1.0.0']), 0);
  assert.equal(call('semver.compare', ['1.0.0+a', '1.0.0+b']), 0);
  assert.equal(call('semver.compare', ['3.0.0+foobar', '2.7.2']), 1);
  assert.equal(call('semver.compare', ['18446744073709551617.0.0', '18446744073709551616.0.0']), 1);
});

test('semver.compare errors', () => {
  const cases: [Value[], string, string][] = [
    [['1', '1.0.0'], 'eval_builtin_error', 'semver.compare: operand 1: string "1" is not a valid SemVer'],
    [['1.0.0', '1'], 'eval_builtin_error', 'semver.compare: operand 2: string "1" is not a valid SemVer'],
    [[1, '1.0.0'], 'eval_type_error', 'semver.compare: operand 1 must be string but got number'],
    [['1.0.0', null], 'eval_type_error', 'semver.compare: operand 2 must be string but got null'],
  ];
  for (const [args, code, message] of cases) {
    assert.throws(
      () => call('semver.compare', args),
      (e: unknown) => e instanceof BuiltinError && e.code === code && e.message === message,
      message,
    );
  }
});
