import './base64-decode-ext.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['padded', 'VGVzdENhc2U=', 'TestCase'],
  ['with a NUL inside', 'VGVzdABDYXNl', 'Test\0Case'],
  ['unpadded', 'Zm9vYmE', 'fooba'],
  ['dot skipped at the start', 'P.HNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', '<script>alert(1)</script>'],
  ['dot skipped in the middle', 'PHNjcmlwdD.5hbGVydCgxKTwvc2NyaXB0Pg==', '<script>alert(1)</script>'],
  ['space skipped', 'PFR FU1Q+', '<TEST>'],
  ['line breaks skipped', 'Zm9v\r\nYmFy', 'foobar'],
  ['padding in the middle skipped', 'Zm9v=YmFy', 'foobar'],
  ['padded groups run together', 'Zm8=Zm8=', 'fo\x19\x9b'],
  ['only invalid chars', '!@#$', ''],
  ['NUL skipped', 'Zm\x009v', 'foo'],
];

tableTest('base64DecodeExt', cases);
