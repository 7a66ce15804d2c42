import './hex-encode.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['word', 'TestCase', '5465737443617365'],
  ['NUL', 'a\0', '6100'],
  ['lowercase hex digits', '\xab\xcd\xef', 'abcdef'],
  ['all-ones byte', '\xff', 'ff'],
  ['control bytes', '\x01\x0a\x7f', '010a7f'],
  ['space and punctuation', ' <>', '203c3e'],
  ['digits', '09', '3039'],
];

tableTest('hexEncode', cases);
