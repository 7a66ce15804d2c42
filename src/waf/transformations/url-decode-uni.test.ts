import './url-decode-uni.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to decode', 'TestCase', 'TestCase'],
  ['plus and %HH', 'var%3d%20@.+%28', 'var= @. ('],
  ['%uHHHH ASCII', '%u0041%U0042', 'AB'],
  ['full-width ASCII folds', '%uff1cscript%uFF1E', '<script>'],
  ['full-width range ends', '%uff01%uff5e', '!~'],
  ['FF00 and FF7F are just the low byte', '%uff00%uff7f', '\x00\x7f'],
  ['best-fit: typographic quotes and dash', '%u201cq%u201d%u2019%u2014', '"q"\'-'],
  ['best-fit: accented latin letters', '%u0041%u00e9%u00e8%u0152', 'AeeO'],
  ['best-fit: non-breaking space', 'a%u00a0b', 'a b'],
  ['no best-fit entry: low byte', '%u1141%u00a3', 'A\xa3'],
  ['invalid %u kept', '%u000g%u0020', '%u000g '],
  ['truncated %u kept', '%u%u0%u00', '%u%u0%u00'],
  ['invalid %HH kept', '%0g%20%g', '%0g %g'],
  ['lone and double percent', '%%', '%%'],
  ['%% then valid', '%%u0020', '% '],
];

tableTest('urlDecodeUni', cases);
