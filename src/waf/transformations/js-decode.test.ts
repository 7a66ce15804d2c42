import './js-decode.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to decode', 'TestCase', 'TestCase'],
  ['NUL kept', 'Test\0Case', 'Test\0Case'],
  ['single-letter escapes', '\\a\\b\\f\\n\\r\\t\\v', '\x07\x08\x0c\n\r\t\x0b'],
  ['escaped quote, backslash, question mark', '\\"\\\'\\\\\\?', '"\'\\?'],
  ['\\xHH', '\\x3cscript\\x3E', '<script>'],
  ['\\uHHHH keeps the low byte', '\\u003c\\u0141', '<A'],
  ['\\uHHHH full-width folds', '\\uff1c\\uFF1E', '<>'],
  ['octal, 1-3 digits', '\\0\\12\\123', '\x00\x0aS'],
  ['octal spelling a word', '<\\163\\143\\162\\151\\160\\164>', '<script>'],
  ['octal max \\377', '\\377\\200', '\xff\x80'],
  ['octal \\4xx uses two digits', '\\412', '!2'],
  ['malformed \\u loses only the backslash', '\\u\\u0\\u01\\u012', 'uu0u01u012'],
  ['malformed \\x', '\\x4\\xzz', 'x4xzz'],
  ['uppercase \\X and \\U are not escapes', '\\X41\\U0041', 'X41U0041'],
  ['other escaped char', '\\8\\z', '8z'],
  ['trailing backslash kept', 'abc\\', 'abc\\'],
  ['escaped backslash before a digit', '\\\\0', '\\0'],
];

tableTest('jsDecode', cases);
