import './base64-encode.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['one byte, two pads', 'f', 'Zg=='],
  ['two bytes, one pad', 'fo', 'Zm8='],
  ['three bytes, no pad', 'foo', 'Zm9v'],
  ['RFC 4648 vector', 'foobar', 'Zm9vYmFy'],
  ['word', 'TestCase', 'VGVzdENhc2U='],
  ['NUL inside', 'Test\0Case', 'VGVzdABDYXNl'],
  ['high bytes are single bytes', '\xff\xfe', '//4='],
  ['standard alphabet (+ and /)', '\xfb\xef\xff', '++//'],
];

tableTest('base64Encode', cases);
