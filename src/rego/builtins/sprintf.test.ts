import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import { RObject, RSet, type Value } from '../value.js';
import './sprintf.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();
const sprintf = (format: Value, values: Value): Value | undefined => callBuiltin('sprintf', [format, values], ctx);

// OPA passes integers as int (big.Int past int64), other numbers as float64, strings as strings
// and everything else as its Rego literal text.
const CASES: Array<[string, Value[], string]> = [
  ['hi', [], 'hi'],
  ['hi %s', ['there'], 'hi there'],
  ['hi %02d', [5], 'hi 05'],
  ['hi %02X.%02X', [127, 1], 'hi 7F.01'],
  ['hi %.2f', [2.5049], 'hi 2.50'],
  ['%d', [42], '42'],
  ['%v %v %v', [1, 1.5, -0.25], '1 1.5 -0.25'],
  ['%d', [1.5], '%!d(float64=1.5)'],
  ['%s', [5], '%!s(int=5)'],
  // Integers past 2^53 are the double the literal rounded to.
  ['%s', [Number('123456789123456789123')], '123456789123456794624'],
  ['%d', [2 ** 68], '295147905179352825856'],
  ['%v', [2 ** 70], '1180591620717411303424'],
  ['%s', [Number('1208925819614629174706175')], '1208925819614629174706176'],
  ['%v', [1e21], '1000000000000000000000'],
  ['%v', [1e-7], '1e-07'],
  ['%x', [255], 'ff'],
  ['%v', [true], 'true'],
  ['%t', [true], '%!t(string=true)'],
  ['%v', [null], 'null'],
  ['%v', [['a', 1, [true]]], '["a", 1, [true]]'],
  ['%d', [[1, 2]], '%!d(string=[1, 2])'],
  ['%v', [RSet.from([2, 1, 'x'])], '{1, 2, "x"}'],
  ['%v', [new RSet()], 'set()'],
  [
    '%v',
    [
      RObject.from([
        ['b', 2],
        ['a', RObject.from([])],
      ]),
    ],
    '{"a": {}, "b": 2}',
  ],
  ['%v', [RObject.from([[1, 'one']])], '{1: "one"}'],
  ['%v', [['tab\there', 'é']], '["tab\\there", "é"]'],
  ['%q', ['a"b'], '"a\\"b"'],
  ['%s and %s', ['a'], 'a and %!s(MISSING)'],
  ['%s', ['a', 'b'], 'a%!(EXTRA string=b)'],
  ['%s', ['a', 1, 1.5, false], 'a%!(EXTRA int=1, float64=1.5, string=false)'],
  ['%[2]s %[1]s', ['a', 'b'], 'b a'],
  ['%5.1f%%', [99.44], ' 99.4%'],
  ['%-8s|', ['ab'], 'ab      |'],
  ['%08.3f', [-2.71], '-002.710'],
  ['%c', [65], 'A'],
  ['%e', [123456], '%!e(int=123456)'],
  ['%.2f', [5], '%!f(int=05)'],
  ['%e', [123456.5], '1.234565e+05'],
];

test('sprintf', () => {
  for (const [format, values, want] of CASES)
    assert.equal(sprintf(format, values), want, `sprintf(${format}, ${JSON.stringify(values)})`);
});

test('sprintf operand errors', () => {
  const errors: Array<[Value, Value, string]> = [
    [1, [], 'sprintf: operand 1 must be string but got number'],
    ['%s', 'x', 'sprintf: operand 2 must be array but got string'],
    ['%s', new RSet(), 'sprintf: operand 2 must be array but got set'],
  ];
  for (const [f, v, message] of errors)
    assert.throws(
      () => sprintf(f, v),
      (e: unknown) => e instanceof BuiltinError && e.code === 'eval_type_error' && e.message === message,
    );
});
