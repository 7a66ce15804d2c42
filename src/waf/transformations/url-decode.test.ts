import './url-decode.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to decode', 'TestCase', 'TestCase'],
  ['plus is a space', 'Test+Case', 'Test Case'],
  ['hex pairs, both cases', '%41%42%6a%6B', 'ABjk'],
  ['encoded percent is not decoded twice', '%2541', '%41'],
  ['NUL byte', 'a%00b', 'a\0b'],
  ['high byte stays one byte', '%ff%C3%A9', '\xff\xc3\xa9'],
  ['invalid hex kept', '%zz%20', '%zz '],
  ['one bad digit kept', '%0g%g0', '%0g%g0'],
  ['truncated at end', 'a%4', 'a%4'],
  ['lone percent at end', '100%', '100%'],
  ['double percent', '%%20', '% '],
  ['percent then plus', '%+', '% '],
  ['%u is not handled here', '%u0041', '%u0041'],
  ['encoded plus stays plus', '%2B+', '+ '],
  ['attack payload', '%3Cscript%3Ealert(1)%3C%2Fscript%3E', '<script>alert(1)</script>'],
];

tableTest('urlDecode', cases);
