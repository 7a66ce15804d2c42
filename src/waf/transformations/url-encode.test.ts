import './url-encode.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to encode', 'TestCase09', 'TestCase09'],
  ['space becomes plus', 'Test Case', 'Test+Case'],
  ['star is kept', 'a*b', 'a*b'],
  ['unreserved marks are encoded too', '-._~', '%2d%2e%5f%7e'],
  ['percent', '%', '%25'],
  ['invalid escapes are encoded as text', '%0g %g', '%250g+%25g'],
  [
    'printable ASCII',
    ' !"#$%&\'()+,/:;<=>?@[\\]^`{|}',
    '+%21%22%23%24%25%26%27%28%29%2b%2c%2f%3a%3b%3c%3d%3e%3f%40%5b%5c%5d%5e%60%7b%7c%7d',
  ],
  ['NUL and controls', '\0\n\x7f', '%00%0a%7f'],
  ['high bytes, lowercase hex', '\xc3\xa9\xff', '%c3%a9%ff'],
  ['plus is encoded', 'a+b', 'a%2bb'],
];

tableTest('urlEncode', cases);
