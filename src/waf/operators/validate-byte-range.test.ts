import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, makeOperator } from './operator-test-kit.js';
import { OperatorError } from './registry.js';

test('@validateByteRange matches when a byte is outside the allowed ranges', () => {
  const cases: [string, string, boolean][] = [
    ['1-255', 'hello', false],
    ['1-255', 'a\x00b', true],
    ['1-255', '\xff', false],
    ['1-255', '', false],
    ['9,10,13,32-126', 'plain text\r\n', false],
    ['9,10,13,32-126', 'tab\tok', false],
    ['9,10,13,32-126', 'bell\x07', true],
    ['9,10,13,32-126', 'caf\xe9', true],
    ['9,10,13,32-126', '~', false],
    ['9,10,13,32-126', '\x7f', true],
    ['48-57', '0123456789', false],
    ['48-57', '12a', true],
    [' 65 - 70 , 97', 'ABCFa', false], // blanks around numbers are tolerated
    [' 65 - 70 , 97', 'b', true],
  ];
  for (const [param, value, want] of cases)
    assert.equal(evaluate('validateByteRange', param, value), want, `${param} / ${JSON.stringify(value)}`);
});

test('@validateByteRange rejects bad ranges at load', () => {
  for (const param of ['', '256', '10-5', '-1', 'a-z', '1-300', '1,,x']) {
    assert.throws(() => makeOperator('validateByteRange', param), OperatorError, param);
  }
});
