import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { evaluate } from './operator-test-kit.js';

const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

test('@validateUtf8Encoding matches invalid UTF-8 byte sequences', () => {
  const cases: [string, boolean][] = [
    ['', false],
    ['ascii\x00\x7f', false],
    [utf8('café ☕ 😀'), false],
    ['\xc3', true], // truncated
    ['\xe2\x82', true],
    ['\xc3\x28', true], // bad continuation
    ['\x80', true], // stray continuation byte
    ['\xc0\xaf', true], // overlong '/'
    ['\xe0\x80\xaf', true],
    ['\xf0\x80\x80\xaf', true],
    ['\xed\xa0\x80', true], // UTF-16 surrogate
    ['\xf5\x80\x80\x80', true], // lead byte above U+10FFFF range
    ['\xf8\x88\x80\x80\x80', true],
    ['\xf4\x8f\xbf\xbf', false], // U+10FFFF
    ['\xef\xbb\xbf', false], // BOM
  ];
  for (const [value, want] of cases) assert.equal(evaluate('validateUtf8Encoding', '', value), want, JSON.stringify(value));
});
