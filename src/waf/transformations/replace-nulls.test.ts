import './replace-nulls.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to replace', 'TestCase', 'TestCase'],
  ['one NUL', 'Test\0Case', 'Test Case'],
  ['leading and trailing', '\0abc\0', ' abc '],
  ['run of NULs, not compressed', 'a\0\0b', 'a  b'],
  ['only a NUL', '\0', ' '],
  ['text "%00" is not a NUL', 'a%00b', 'a%00b'],
  ['other control bytes kept', '\x01\x7f\xff', '\x01\x7f\xff'],
];

tableTest('replaceNulls', cases);
