import assert from 'node:assert/strict';
import { test } from 'node:test';
import './none.js';
import { getTransformation } from './registry.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['plain text', 'TestCase', 'TestCase'],
  ['url escapes are not decoded', '%41+%42', '%41+%42'],
  ['NUL kept', 'a\0b', 'a\0b'],
  ['high bytes kept', '\xff\x80\xa0', '\xff\x80\xa0'],
  ['whitespace kept', '  \t\n ', '  \t\n '],
  ['upper case kept', 'SELECT', 'SELECT'],
  ['comments kept', '/* x */--#', '/* x */--#'],
];

tableTest('none', cases);

test('names are looked up case-insensitively', () => {
  assert.equal(getTransformation('NONE')?.name, 'none');
  assert.equal(getTransformation('None')?.fn('X'), 'X');
});
