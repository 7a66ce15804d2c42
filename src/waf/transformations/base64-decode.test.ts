import './base64-decode.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['padded', 'VGVzdENhc2U=', 'TestCase'],
  ['with a NUL inside', 'VGVzdABDYXNl', 'Test\0Case'],
  ['unpadded', 'VGVzdENhc2U', 'TestCase'],
  ['two pad chars', 'PA==', '<'],
  ['plus and slash', 'FPucA9l+', '\x14\xfb\x9c\x03\xd9\x7e'],
  ['binary output', '/w==', '\xff'],
  ['truncated input decodes the full bytes', 'PHNjcmlwd', '<scrip'],
  ['stops at a space', 'PFR FU1Q+', '<T'],
  ['stops at a dot', 'PHNjcmlwdD.5hbGVydCgxKTwvc2NyaXB0Pg==', '<script'],
  ['a single char before the stop gives nothing', 'P.HNjcmlwdD5h', ''],
  ['URL-safe dash stops decoding', 'PFRFU1Q-', '<TEST'],
  ['stops at padding in the middle', 'Zg==Zm9v', 'f'],
  ['invalid first char', '!Zm9v', ''],
];

tableTest('base64Decode', cases);
