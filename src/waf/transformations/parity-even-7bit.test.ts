import './parity-even-7bit.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['zero stays zero', '\0', '\0'],
  ['one bit gets the parity bit', '\x01', '\x81'],
  ['two bits stay clear', '\x03', '\x03'],
  ['A (2 bits) unchanged', 'A', 'A'],
  ['C (3 bits) gains bit 7', 'C', '\xc3'],
  ['seven bits', '\x7f', '\xff'],
  ['incoming bit 7 is replaced', '\x81\xc1', '\x81\x41'],
  ['word', 'abc', '\xe1\xe2c'],
];

tableTest('parityEven7bit', cases);
