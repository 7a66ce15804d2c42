// Reading wrk's report: cases are wrk 4.1 output as printed on Debian (zero and non-zero error lines).
// Run: node --test bench/lib/
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { combineRounds, median, parseWrk, parseWrkTime } from './wrk.mjs';

const CLEAN = `Running 10s test @ http://127.0.0.1:40017/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.27ms    1.10ms  20.00ms   90.00%
    Req/Sec    19.46k     1.23k   21.00k    80.00%
  Latency Distribution
     50%  812.00us
     75%    2.60ms
     90%    3.10ms
     99%    9.90ms
  194000 requests in 10.00s, 40.00MB read
Requests/sec:  19358.98
Transfer/sec:      4.00MB
`;

const WITH_ERRORS = `Running 2s test @ http://127.0.0.1:40017/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02s   300.00ms   2.00s    70.00%
    Req/Sec     10.00      5.00    20.00     60.00%
  Latency Distribution
     50%    1.02s
     75%    1.50s
     90%    1.90s
     99%    2.00m
  20 requests in 2.00s, 4.00KB read
  Socket errors: connect 1, read 2, write 3, timeout 4
  Non-2xx or 3xx responses: 7
Requests/sec:      9.98
Transfer/sec:      2.00KB
`;

describe('parseWrkTime', () => {
  test('each unit wrk prints', () => {
    assert.equal(parseWrkTime('812.00us'), 0.812);
    assert.equal(parseWrkTime('9.90ms'), 9.9);
    assert.equal(parseWrkTime('1.02s'), 1020);
    assert.equal(parseWrkTime('2.00m'), 120_000);
    assert.equal(parseWrkTime('1h'), 3_600_000);
  });
  test('anything else is NaN', () => {
    for (const s of ['', 'ms', '1.2', '1.2 ms', 'abc', '-1ms']) assert.ok(Number.isNaN(parseWrkTime(s)), s);
  });
});

describe('parseWrk', () => {
  test('a clean run: no error lines means zero errors', () => {
    assert.deepEqual(parseWrk(CLEAN), {
      rps: 19358.98,
      requests: 194000,
      p50_ms: 0.812,
      p99_ms: 9.9,
      non2xx3xx: 0,
      socket_errors: 0,
    });
  });
  test('a run with socket errors and bad statuses', () => {
    const r = parseWrk(WITH_ERRORS);
    assert.equal(r.rps, 9.98);
    assert.equal(r.requests, 20);
    assert.equal(r.p50_ms, 1020);
    assert.equal(r.p99_ms, 120_000);
    assert.equal(r.non2xx3xx, 7);
    assert.equal(r.socket_errors, 10);
  });
  test('output without a report gives NaN figures, for the caller to reject', () => {
    const r = parseWrk('unable to connect to 127.0.0.1:1 Connection refused\n');
    assert.ok(Number.isNaN(r.rps));
    assert.ok(Number.isNaN(r.p99_ms));
  });
});

describe('rounds', () => {
  test('median of odd and even counts, NaN ignored', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([Number.NaN, 5]), 5);
    assert.ok(Number.isNaN(median([])));
  });
  test('combineRounds takes medians and sums errors', () => {
    const run = (rps, p99, bad) => ({
      rps,
      requests: 10,
      p50_ms: 1,
      p99_ms: p99,
      non2xx3xx: bad,
      socket_errors: 0,
      cpu_us_per_req: { proxy: rps / 100 },
      other_cpu_pct: 0,
    });
    const c = combineRounds([run(100, 5, 1), run(300, 1, 0), run(200, 9, 2)]);
    assert.equal(c.rps, 200);
    assert.equal(c.p99_ms, 5);
    assert.equal(c.non2xx3xx, 3);
    assert.equal(c.requests, 30);
    assert.equal(c.cpu_us_per_req.proxy, 2);
    assert.equal(c.per_round.length, 3);
  });
});
