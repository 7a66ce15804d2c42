import './html-entity-decode.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to decode', 'TestCase', 'TestCase'],
  ['decimal with ;', '&#60;&#062;', '<>'],
  ['decimal without ;', '&#60script&#62', '<script>'],
  ['hex with x and X', '&#x3c;&#X3E;', '<>'],
  ['hex without ;', '&#x3cb', '\xcb'],
  ['hex digits run as far as they go', '&#x3c&#x3c;x', '<<x'],
  ['value keeps its low byte', '&#321;&#x141;', 'AA'],
  ['huge value saturates to 0xFF', '&#99999999999999999999;', '\xff'],
  ['named entities', '&quot;&amp;&lt;&gt;&nbsp;', '"&<>\xa0'],
  ['named without ; and any case', '&LT&Gt;&AMP', '<>&'],
  ['named entity not in the set kept', '&apos;&copy;&ltx;', '&apos;&copy;&ltx;'],
  ['empty numeric entities kept', '&#;&#x;&#', '&#;&#x;&#'],
  ['lone ampersand kept', 'a & b &', 'a & b &'],
  ['no double decoding', '&amp;lt;', '&lt;'],
  ['NUL entity', 'a&#0;b', 'a\0b'],
];

tableTest('htmlEntityDecode', cases);
