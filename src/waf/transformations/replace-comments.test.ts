import './replace-comments.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['no comment', 'TestCase', 'TestCase'],
  ['comment becomes a space', 'UNION/**/SELECT', 'UNION SELECT'],
  ['comment with text', 'a/* x */b', 'a b'],
  ['two comments', '1/*a*/or/*b*/1', '1 or 1'],
  ['unterminated comment runs to the end', 'a/* b c', 'a '],
  ['"/*/" is an unterminated comment', 'x/*/y', 'x '],
  ['close without open kept', 'a*/b', 'a*/b'],
  ['nested open inside a comment', '/* /* */x*/', ' x*/'],
  ['other comment styles kept', 'a -- b # c <!-- d -->', 'a -- b # c <!-- d -->'],
  ['comment at both ends', '/*a*/mid/*b*/', ' mid '],
  ['empty comment at end', 'x/**/', 'x '],
];

tableTest('replaceComments', cases);
