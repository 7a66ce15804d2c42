import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from './operator-test-kit.js';

test('@unconditionalMatch matches every value', () => {
  for (const value of ['', 'x', '\x00', 'a\nb', '\xff'.repeat(1000), '0', 'false', ' ']) {
    assert.equal(evaluate('unconditionalMatch', '', value), true, JSON.stringify(value));
  }
  assert.equal(evaluate('unconditionalMatch', 'ignored parameter', 'x'), true);
});
