import './hex-decode.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['word', '5465737443617365', 'TestCase'],
  ['NUL inside', '546573740043617365', 'Test\0Case'],
  ['upper and mixed case digits', '48454C4c4F', 'HELLO'],
  ['high bytes', 'ff80', '\xff\x80'],
  ['odd trailing char dropped', '01234567890a0', '\x01#Eg\x89\x0a'],
  ['odd trailing non-hex dropped', '01234567890az', '\x01#Eg\x89\x0a'],
  ['single char gives nothing', 'a', ''],
  // Pairs are not validated (ModSecurity's arithmetic): 'g' counts as 16, 'z' as 35.
  ['non-hex pair uses the digit arithmetic', '1g', '\x20'],
  ['non-hex pair wraps to a byte', 'zz', '\x53'],
];

tableTest('hexDecode', cases);
