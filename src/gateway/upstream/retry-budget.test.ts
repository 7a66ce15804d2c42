import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetryBudget } from './retry-budget.js';

function setup(budget_percent: number, min_retries_per_second: number, start = 50_000) {
  let now = start;
  const rb = new RetryBudget({ budget_percent, min_retries_per_second }, () => now);
  return { rb, advance: (ms: number) => void (now += ms) };
}

function drain(rb: RetryBudget): number {
  let n = 0;
  while (rb.tryRetry()) if (++n > 1e6) throw new Error('budget never ran out');
  return n;
}

test('with no traffic the floor allows min_retries_per_second x 10 retries', () => {
  const { rb } = setup(20, 3);
  assert.equal(drain(rb), 30);
  assert.equal(rb.tryRetry(), false);
});

test('budget_percent of the requests in the window, when above the floor', () => {
  const { rb } = setup(20, 0);
  for (let i = 0; i < 1000; i++) rb.recordRequest();
  assert.equal(drain(rb), 200);
  for (let i = 0; i < 10; i++) rb.recordRequest();
  assert.equal(drain(rb), 2);
});

test('the larger of floor and percentage wins', () => {
  const { rb } = setup(10, 5); // floor 50
  for (let i = 0; i < 300; i++) rb.recordRequest(); // 10% = 30 < 50
  assert.equal(drain(rb), 50);
  const big = setup(10, 5).rb;
  for (let i = 0; i < 1000; i++) big.recordRequest(); // 10% = 100 > 50
  assert.equal(drain(big), 100);
});

test('retries and requests age out of the 10 s window bucket by bucket', () => {
  const { rb, advance } = setup(50, 0);
  for (let i = 0; i < 100; i++) rb.recordRequest();
  assert.equal(drain(rb), 50);
  advance(5_000);
  for (let i = 0; i < 100; i++) rb.recordRequest();
  assert.equal(drain(rb), 50); // 200 requests, 100 allowed, 50 used
  advance(5_000); // the first second's 100 requests and 50 retries leave the window
  assert.deepEqual(rb.stats(), { requests: 100, retries: 50 });
  assert.equal(rb.tryRetry(), false);
  advance(5_000);
  assert.deepEqual(rb.stats(), { requests: 0, retries: 0 });
});

test('a long idle gap clears everything', () => {
  const { rb, advance } = setup(0, 1);
  assert.equal(drain(rb), 10);
  advance(60_000);
  assert.equal(drain(rb), 10);
});

test('budget_percent 0 and no floor allows no retries', () => {
  const { rb } = setup(0, 0);
  for (let i = 0; i < 100; i++) rb.recordRequest();
  assert.equal(rb.tryRetry(), false);
});

test('a clock that steps back keeps counting in the newest bucket', () => {
  const { rb, advance } = setup(100, 0);
  rb.recordRequest();
  advance(-3_000);
  rb.recordRequest();
  assert.deepEqual(rb.stats(), { requests: 2, retries: 0 });
});

test('works from clock 0 and with negative clocks', () => {
  const a = setup(0, 1, 0).rb;
  assert.equal(drain(a), 10);
  const b = setup(0, 1, -12_345).rb;
  assert.equal(drain(b), 10);
});

test('bad settings are clear errors', () => {
  assert.throws(() => new RetryBudget({ budget_percent: 101, min_retries_per_second: 1 }), /budget_percent/);
  assert.throws(() => new RetryBudget({ budget_percent: 10, min_retries_per_second: -1 }), /min_retries_per_second/);
});
