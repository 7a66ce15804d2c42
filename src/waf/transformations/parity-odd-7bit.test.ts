import './parity-odd-7bit.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['zero gains bit 7', '\0', '\x80'],
  ['one bit stays clear', '\x01', '\x01'],
  ['two bits gain bit 7', '\x03', '\x83'],
  ['A (2 bits) gains bit 7', 'A', '\xc1'],
  ['C (3 bits) unchanged', 'C', 'C'],
  ['seven bits', '\x7f', '\x7f'],
  ['incoming bit 7 is replaced', '\x81\xc1', '\x01\xc1'],
  ['word', 'abc', 'ab\xe3'],
];

tableTest('parityOdd7bit', cases);
