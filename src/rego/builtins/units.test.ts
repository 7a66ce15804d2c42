import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import type { Value } from '../value.js';
import './units.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const call = (name: string, args: Value[]) => callBuiltin(name, args, ctx);

const parse: [string, number][] = [
  ['"100TI"', 109951162777600],
  ['0', 0],
  ['0.0', 0],
  ['.0', 0],
  ['12345', 12345],
  ['10K', 10000],
  ['10KI', 10240],
  ['10k', 10000],
  ['10Ki', 10240],
  ['200M', 200000000],
  ['300Gi', 322122547200],
  ['1.1K', 1100],
  ['1.1Ki', 1126.4],
  ['.5K', 500],
  ['100ki', 102400],
  ['100m', 0.1],
  ['1m', 0.001],
  ['1000m', 1],
  ['100mi', 104857600],
  ['100Mi', 104857600],
  ['100MI', 104857600],
  ['100g', 100000000000],
  ['100gi', 107374182400],
  ['100T', 100000000000000],
  ['100ti', 109951162777600],
  ['100P', 100000000000000000],
  ['100pi', 112589990684262400],
  ['10e', 10000000000000000000],
  ['10E', 10000000000000000000],
  ['10Ei', Number('11529215046068469760')],
  ['1e10', 10000000000],
  ['3.2E4', 32000],
  ['2.5e3K', 2500000],
  ['1e3M', 1000000000],
  ['4E2G', 400000000000],
  ['5e1Gi', 53687091200],
  ['1e-2', 0.01],
  ['7.8E-1', 0.78],
  ['6e3Mi', 6291456000],
  ['5E', 5e18],
  ['42', 42],
  ['-3.5E2m', -0.35],
  ['-2k', -2000],
  ['1e-12', 0],
  ['0.00000000005', 1e-10],
  ['-0.00000000005', -1e-10],
];

test('units.parse', () => {
  for (const [s, want] of parse) {
    assert.equal(call('units.parse', [s]), want, s);
  }
});

const bytes: [string, number][] = [
  ['"100TIB"', 109951162777600],
  ['0', 0],
  ['0.0', 0],
  ['.0', 0],
  ['12345', 12345],
  ['10KB', 10000],
  ['10KIB', 10240],
  ['10kb', 10000],
  ['10Kib', 10240],
  ['200mb', 200000000],
  ['300GiB', 322122547200],
  ['1.1KB', 1100],
  ['1.1KiB', 1126],
  ['.5KB', 500],
  ['100k', 100000],
  ['100ki', 102400],
  ['100m', 100000000],
  ['100mi', 104857600],
  ['100mib', 104857600],
  ['100g', 100000000000],
  ['100gib', 107374182400],
  ['100t', 100000000000000],
  ['100tib', 109951162777600],
  ['100p', 100000000000000000],
  ['100pib', 112589990684262400],
  ['10e', 10000000000000000000],
  ['10eb', 10000000000000000000],
  ['10eib', Number('11529215046068469760')],
  ['1e3KB', 1000000],
  ['3.2E2MiB', 335544320],
  ['4.5e1GiB', 48318382080],
  ['5e6', 5000000],
  ['1e-2KB', 10],
  ['6.4E1GB', 64000000000],
  ['7.5e1TiB', 82463372083200],
  ['5e2MiB', 524288000],
  ['2e2GiB', 214748364800],
  ['5E', 5e18],
  ['-1.5k', -1500],
  ['0.9', 0],
  ['-0.9', 0],
  ['1e-50', 0],
];

test('units.parse_bytes', () => {
  for (const [s, want] of bytes)
    assert.ok(Object.is(call('units.parse_bytes', [s]), want), `${s} -> ${call('units.parse_bytes', [s])}`);
});

test('comparisons between spellings hold', () => {
  const b = (s: string) => call('units.parse_bytes', [s]) as number;
  assert.ok(b('8kb') > b('7kb'));
  assert.ok(b('3MiB') > b('3MB'));
  assert.equal(b('1024'), b('1KiB'));
  assert.equal(b('128Gi'), b('137438953472'));
  const u = (s: string) => call('units.parse', [s]) as number;
  assert.ok(u('8g') > u('8m'));
  assert.ok(u('4.1Mi') > u('4Mi'));
  assert.equal(u('2Mi'), u('2097152'));
});

const errors: [string, string, string][] = [
  ['units.parse', '', 'units.parse: no amount provided'],
  ['units.parse', 'G', 'units.parse: no amount provided'],
  ['units.parse', 'foo', 'units.parse: no amount provided'],
  ['units.parse', '0.0.0', 'units.parse: could not parse amount to a number'],
  ['units.parse', '.5.2', 'units.parse: could not parse amount to a number'],
  ['units.parse', '1-2', 'units.parse: could not parse amount to a number'],
  ['units.parse', '100 k', 'units.parse: spaces not allowed in resource strings'],
  ['units.parse', ' 327Mi ', 'units.parse: spaces not allowed in resource strings'],
  ['units.parse', '10KB', 'units.parse: unit Kb not recognized'],
  ['units.parse', '10x', 'units.parse: unit x not recognized'],
  ['units.parse', '1/3', 'units.parse: unit /3 not recognized'],
  ['units.parse', '1e1234567', 'units.parse: exponent too large'],
  ['units.parse', '1e999999', 'units.parse: amount out of range'],
  ['units.parse_bytes', '', 'units.parse_bytes: no byte amount provided'],
  ['units.parse_bytes', 'GB', 'units.parse_bytes: no byte amount provided'],
  ['units.parse_bytes', 'foo', 'units.parse_bytes: no byte amount provided'],
  ['units.parse_bytes', '0.0.0', 'units.parse_bytes: could not parse byte amount to a number'],
  ['units.parse_bytes', '.5.2', 'units.parse_bytes: could not parse byte amount to a number'],
  ['units.parse_bytes', '100 kb', 'units.parse_bytes: spaces not allowed in resource strings'],
  ['units.parse_bytes', ' 327MiB ', 'units.parse_bytes: spaces not allowed in resource strings'],
  ['units.parse_bytes', '10b', 'units.parse_bytes: byte unit b not recognized'],
  ['units.parse_bytes', '10kbb', 'units.parse_bytes: byte unit kbb not recognized'],
  ['units.parse_bytes', '1e1234567', 'units.parse_bytes: exponent too large'],
];

test('errors carry OPA messages', () => {
  for (const [name, s, message] of errors) {
    assert.throws(
      () => call(name, [s]),
      (e: unknown) => e instanceof BuiltinError && e.code === 'eval_builtin_error' && e.message === message,
      `${name}(${JSON.stringify(s)}): ${message}`,
    );
  }
  assert.throws(
    () => call('units.parse', [1]),
    (e: unknown) =>
      e instanceof BuiltinError &&
      e.code === 'eval_type_error' &&
      e.message === 'units.parse: operand 1 must be string but got number',
  );
});
