import './trim.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to trim', 'Test Case', 'Test Case'],
  ['both sides', '  a b  ', 'a b'],
  ['all C whitespace', '\t\n\x0b\x0c\r x \r\n', 'x'],
  ['only whitespace', ' \t\n ', ''],
  ['inner whitespace kept', 'a \t b', 'a \t b'],
  ['NUL is not whitespace', '\0 a \0', '\0 a \0'],
  ['non-breaking space 0xA0 is not trimmed', '\xa0a\xa0', '\xa0a\xa0'],
  ['left only', '   a', 'a'],
  ['right only', 'a\n', 'a'],
];

tableTest('trim', cases);
