import './escape-seq-decode.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to decode', 'TestCase', 'TestCase'],
  ['NUL kept', 'Test\0Case', 'Test\0Case'],
  ['single-char escapes', '\\a\\b\\f\\n\\r\\t\\v', '\x07\x08\x0c\n\r\t\x0b'],
  ['quote, backslash, question mark', '\\?\\\'\\"\\\\', '?\'"\\'],
  ['hex, x and X', '\\x41\\X42\\x00\\xff', 'AB\x00\xff'],
  ['octal 1-3 digits', '\\0\\01\\012\\123', '\x00\x01\nS'],
  ['octal reads at most three digits', '\\0123', '\n3'],
  ['octal above 0377 keeps the low byte', '\\666\\777\\412', '\xb6\xff\n'],
  ['octal spelling a word', '<\\563\\543\\562\\551\\560\\564>', '<script>'],
  ['non-octal digits lose the backslash', '\\8\\9', '89'],
  ['malformed hex loses the backslash', '\\xag\\xga\\x4', 'xagxgax4'],
  ['other chars lose the backslash', '\\z\\u0041', 'zu0041'],
  ['trailing backslash kept', 'abc\\', 'abc\\'],
  ['escaped NUL', '\\\0', '\0'],
];

tableTest('escapeSeqDecode', cases);
