import './remove-nulls.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to remove', 'TestCase', 'TestCase'],
  ['one NUL', 'Test\0Case', 'TestCase'],
  ['leading and trailing', '\0abc\0', 'abc'],
  ['run of NULs', 'a\0\0\0b', 'ab'],
  ['only NULs', '\0\0', ''],
  ['text "\\0" is not a NUL', 'a\\0b%00', 'a\\0b%00'],
  ['other control bytes kept', '\x01\x7f\xff', '\x01\x7f\xff'],
  ['spaces kept', 'a \0 b', 'a  b'],
];

tableTest('removeNulls', cases);
