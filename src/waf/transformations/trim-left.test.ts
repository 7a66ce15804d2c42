import './trim-left.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to trim', 'abc', 'abc'],
  ['leading spaces', '   abc', 'abc'],
  ['trailing whitespace kept', '  abc  ', 'abc  '],
  ['all C whitespace', '\t\n\x0b\x0c\r abc', 'abc'],
  ['only whitespace', ' \t ', ''],
  ['NUL is not whitespace', '\0 abc', '\0 abc'],
  ['non-breaking space is not trimmed', '\xa0abc', '\xa0abc'],
];

tableTest('trimLeft', cases);
