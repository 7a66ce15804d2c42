import './compress-whitespace.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to compress', 'Test Case', 'Test Case'],
  ['double space', 'a  b', 'a b'],
  ['mixed whitespace run', 'a \t\r\n\x0b\x0c b', 'a b'],
  ['single tab becomes a space', 'a\tb', 'a b'],
  ['non-breaking space', 'a\xa0b', 'a b'],
  ['leading and trailing runs', '  a  ', ' a '],
  ['only whitespace', '\t\n ', ' '],
  ['NUL is not whitespace', 'a\0\0b', 'a\0\0b'],
  ['several runs', 'union   all\n\nselect', 'union all select'],
];

tableTest('compressWhitespace', cases);
