import './uppercase.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['already upper', 'TESTCASE', 'TESTCASE'],
  ['mixed', 'TeStCaSe', 'TESTCASE'],
  ['all ASCII letters', 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'],
  ['punctuation around the letter range kept', '`{@[', '`{@['],
  ['NUL kept', 'a\0b', 'A\0B'],
  ['latin1 lower letters are not raised', '\xe0\xe9\xff', '\xe0\xe9\xff'],
  ['digits and symbols', 'union select 1', 'UNION SELECT 1'],
  ['high bytes mixed with ASCII', 'x\xe9y', 'X\xe9Y'],
];

tableTest('uppercase', cases);
