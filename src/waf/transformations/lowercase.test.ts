import './lowercase.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['already lower', 'testcase', 'testcase'],
  ['mixed', 'TeStCaSe', 'testcase'],
  ['all ASCII letters', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'],
  ['punctuation around the letter range kept', '@[`{', '@[`{'],
  ['NUL kept', 'A\0B', 'a\0b'],
  ['latin1 upper letters are not lowered', '\xc0\xc9\xdd', '\xc0\xc9\xdd'],
  ['digits and symbols', 'SELECT 1,2 FROM T', 'select 1,2 from t'],
  ['high bytes mixed with ASCII', 'X\xffY', 'x\xffy'],
];

tableTest('lowercase', cases);
