import './trim-right.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to trim', 'abc', 'abc'],
  ['trailing spaces', 'abc   ', 'abc'],
  ['leading whitespace kept', '  abc  ', '  abc'],
  ['all C whitespace', 'abc \t\n\x0b\x0c\r', 'abc'],
  ['only whitespace', ' \t ', ''],
  ['NUL is not whitespace', 'abc \0', 'abc \0'],
  ['non-breaking space is not trimmed', 'abc\xa0', 'abc\xa0'],
];

tableTest('trimRight', cases);
