import './utf8-to-unicode.js';
import { type Case, tableTest } from './test-table.js';

// Inputs are UTF-8 encoded into byte strings, as the WAF sees them.
const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

const cases: Case[] = [
  ['empty', '', ''],
  ['ASCII unchanged', 'hello world', 'hello world'],
  ['NUL kept', 'hello\0world', 'hello\0world'],
  ['two-byte sequences', utf8('ĤéllŌ'), '%u0124%u00e9ll%u014c'],
  ['three-byte sequences', utf8('ハロー'), '%u30cf%u30ed%u30fc'],
  ['mixed with ASCII', utf8('a ハ b'), 'a %u30cf b'],
  ['four-byte sequence uses five digits', utf8('hi 🍺'), 'hi %u1f37a'],
  ['highest code point uses six digits', '\xf4\x8f\xbf\xbf', '%u10ffff'],
  ['full-width less-than', utf8('＜'), '%uff1c'],
  ['stray continuation byte kept', 'a\x80b', 'a\x80b'],
  ['truncated sequence kept', 'a\xc3', 'a\xc3'],
  ['bad continuation kept', '\xc3(x', '\xc3(x'],
  ['overlong encoding kept', '\xc0\xaf', '\xc0\xaf'],
  ['encoded surrogate kept', '\xed\xa0\x80', '\xed\xa0\x80'],
  ['latin1 byte alone kept', 'caf\xe9', 'caf\xe9'],
];

tableTest('utf8toUnicode', cases);
