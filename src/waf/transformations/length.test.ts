import './length.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', '0'],
  ['one byte', 'a', '1'],
  ['word', 'TestCase', '8'],
  ['NUL counts', 'a\0b', '3'],
  ['high bytes count once each', '\xc3\xa9', '2'],
  ['whitespace counts', ' \t\n', '3'],
  ['ten', '0123456789', '10'],
  ['long value', 'x'.repeat(1234), '1234'],
];

tableTest('length', cases);
