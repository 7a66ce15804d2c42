import './remove-whitespace.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to remove', 'TestCase', 'TestCase'],
  ['spaces', ' a b  c ', 'abc'],
  ['all C whitespace', 'a\tb\nc\x0bd\x0ce\rf', 'abcdef'],
  ['non-breaking space 0xA0', 'a\xa0b', 'ab'],
  ['only whitespace', ' \t\n\xa0', ''],
  ['NUL is not whitespace', 'a\0 b', 'a\0b'],
  ['other high bytes kept', 'a\x85\xff b', 'a\x85\xffb'],
  ['keyword split by spaces', 'S E L E C T', 'SELECT'],
];

tableTest('removeWhitespace', cases);
