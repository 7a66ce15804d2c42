import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGoDuration } from './go-duration.js';

test('parseGoDuration follows time.ParseDuration', () => {
  const ok: [string, bigint][] = [
    ['0', 0n],
    ['5s', 5_000_000_000n],
    ['1m30s', 90_000_000_000n],
    ['1.5h', 5_400_000_000_000n],
    ['250ms', 250_000_000n],
    ['-2us', -2000n],
    ['3µs', 3000n],
  ];
  for (const [s, ns] of ok) assert.equal(parseGoDuration(s), ns, s);
  const bad: [string, string][] = [
    ['', 'time: invalid duration ""'],
    ['abc', 'time: invalid duration "abc"'],
    ['5', 'time: missing unit in duration "5"'],
    ['5x', 'time: unknown unit "x" in duration "5x"'],
    // time.quote, not strconv.Quote: non-ASCII bytes as \xNN escapes.
    ['1é', 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'],
  ];
  for (const [s, msg] of bad) assert.throws(() => parseGoDuration(s), { message: msg });
});
