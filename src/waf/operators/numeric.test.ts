import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseInt32, parseInt64 } from './numeric.js';

test('integers are read like std::stoi / atoll: leading number, else 0', () => {
  const cases: [string, number, number | bigint][] = [
    ['42', 42, 42],
    ['  \t-7', -7, -7],
    ['+5', 5, 5],
    ['12abc', 12, 12],
    ['abc', 0, 0],
    ['', 0, 0],
    ['-', 0, 0],
    ['- 5', 0, 0],
    ['3.9', 3, 3],
    ['0x1f', 0, 0],
    ['\xa05', 0, 0], // NBSP is not C whitespace
    ['-0', 0, 0],
    ['00000000000000000000042', 42, 42],
    ['2147483647', 2147483647, 2147483647],
    ['2147483648', 0, 2147483648], // stoi: out of int range → 0
    ['99999999999999999999', 0, 2n ** 63n - 1n], // atoll saturates
    ['-99999999999999999999', 0, -(2n ** 63n)],
  ];
  for (const [text, i32, i64] of cases) {
    assert.equal(parseInt32(text), i32, `stoi ${JSON.stringify(text)}`);
    assert.equal(parseInt64(text), i64, `atoll ${JSON.stringify(text)}`);
  }
});
