import './remove-comments.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['no comment', 'TestCase', 'TestCase'],
  ['C comment removed', 'UNION/**/SELECT', 'UNIONSELECT'],
  ['C comment with text', 'a/* x */b', 'ab'],
  ['HTML comment removed', 'a<!-- x -->b', 'ab'],
  ['double dash ends the value', "1' or 1=1-- x", "1' or 1=1"],
  ['hash ends the value', 'admin# comment', 'admin'],
  ['unterminated C comment becomes a space', 'a/* b', 'a '],
  ['unterminated HTML comment becomes a space', 'a<!-- b', 'a '],
  ['either terminator closes a comment', 'a/* x -->b<!-- y */c', 'abc'],
  ['close without open kept', 'a*/b', 'a*/b'],
  ['single dash kept', 'a-b', 'a-b'],
  ['dash inside a comment does not end the value', 'a/* -- # */b', 'ab'],
  ['hash right after a comment', 'a/**/#b', 'a'],
];

tableTest('removeComments', cases);
