import './css-decode.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to decode', 'TestCase', 'TestCase'],
  ['NUL kept', 'Test\0Case', 'Test\0Case'],
  ['hex-letter escapes are hex', '\\a\\b\\f', '\x0a\x0b\x0f'],
  ['non-hex letters stand for themselves', '\\n\\r\\t\\v\\?\\\'\\"', 'nrtv?\'"'],
  ['escaped NUL', '\\\0x', '\0x'],
  ['2-6 digits keep the last two', '\\12\\123\\1234\\12345\\123456', '\x12\x23\x34\x45\x56'],
  ['at most six digits', '\\1234567', 'V7'],
  ['one whitespace after an escape is swallowed', '\\1 A\\1  B\\1\tC', '\x01A\x01 B\x01C'],
  ['obfuscated keyword', 'ja\\76 ascript', 'javascript'],
  ['4-digit full-width folds', '\\ff01\\FF5E\\ff1c', '!~<'],
  ['5-6 digit full-width needs leading zeros', '\\0ff01\\00ff3c\\1ff01', '!\\\x01'],
  ['backslash-newline is a continuation', 'a\\\nb', 'ab'],
  ['trailing backslash removed', 'test\\', 'test'],
  ['escaped backslash', 'a\\\\b', 'a\\b'],
  ['one hex digit then non-hex', '\\1x', '\x01x'],
];

tableTest('cssDecode', cases);
