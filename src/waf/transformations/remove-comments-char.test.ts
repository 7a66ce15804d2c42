import './remove-comments-char.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to remove', 'TestCase', 'TestCase'],
  ['C comment markers', 'UNION/**/SELECT', 'UNIONSELECT'],
  ['text between markers is kept', 'a/* x */b', 'a x b'],
  ['double dash', "1'--", "1'"],
  ['hash', 'a#b#', 'ab'],
  ['HTML comment markers', '<!--x-->', 'x'],
  ['close marker alone', 'a*/b', 'ab'],
  ['single dash and star kept', 'a-b*c/d', 'a-b*c/d'],
  ['three dashes', 'a---b', 'a-b'],
  ['markers do not re-form after removal', '/*/**/*/', ''],
  ['removed marker exposes no new one on the left', '-/**/-', '--'],
];

tableTest('removeCommentsChar', cases);
