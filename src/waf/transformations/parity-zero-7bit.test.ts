import './parity-zero-7bit.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['ASCII unchanged', 'TestCase', 'TestCase'],
  ['bit 7 cleared', '\xc1\xe2', 'Ab'],
  ['0x80 becomes NUL', '\x80', '\0'],
  ['0xFF becomes DEL', '\xff', '\x7f'],
  ['mixed', 'a\xe2c', 'abc'],
  ['NUL kept', '\0', '\0'],
  ['parity-encoded word restored', '\xe1\xe2c', 'abc'],
];

tableTest('parityZero7bit', cases);
