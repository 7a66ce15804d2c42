import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './operator-test-kit.js';

test('@validateUrlEncoding matches invalid %-encodings', () => {
  const cases: [string, boolean][] = [
    ['', false],
    ['plain', false],
    ['a%20b', false],
    ['%41%4a%4A', false],
    ['%', true],
    ['a%4', true], // not enough characters
    ['%41%', true],
    ['%zz', true],
    ['%4g', true],
    ['%g4', true],
    ['100%25', false],
    ['100%', true],
    ['%%41', true],
    ['a+b', false],
  ];
  for (const [value, want] of cases) assert.equal(evaluate('validateUrlEncoding', '', value), want, JSON.stringify(value));
});
