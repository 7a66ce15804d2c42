import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BreakerState, CircuitBreaker } from './breaker.js';

function setup(cfg = { failure_threshold: 3, open_duration: 1_000, half_open_requests: 2 }) {
  let now = 0;
  const changes: BreakerState[] = [];
  const b = new CircuitBreaker(
    cfg,
    () => now,
    (s) => changes.push(s),
  );
  return { b, changes, advance: (ms: number) => void (now += ms) };
}

test('closed until failure_threshold consecutive failures, then open', () => {
  const { b, changes } = setup();
  assert.equal(b.state, 'closed');
  b.onFailure();
  b.onFailure();
  b.onSuccess(); // resets the run
  b.onFailure();
  b.onFailure();
  assert.equal(b.state, 'closed');
  assert.equal(b.tryAcquire(), true);
  b.onFailure();
  assert.equal(b.state, 'open');
  assert.equal(b.tryAcquire(), false);
  assert.deepEqual(changes, ['open']);
});

test('open turns half-open after open_duration, lazily', () => {
  const { b, changes, advance } = setup();
  for (let i = 0; i < 3; i++) b.onFailure();
  advance(999);
  assert.equal(b.tryAcquire(), false);
  advance(1);
  assert.deepEqual(changes, ['open']); // not noticed until asked
  assert.equal(b.tryAcquire(), true);
  assert.equal(b.state, 'half_open');
  assert.deepEqual(changes, ['open', 'half_open']);
});

test('half-open lets half_open_requests trials through; that many successes close it', () => {
  const { b, changes, advance } = setup();
  for (let i = 0; i < 3; i++) b.onFailure();
  advance(1_000);
  assert.equal(b.tryAcquire(), true);
  assert.equal(b.tryAcquire(), true);
  assert.equal(b.tryAcquire(), false); // both slots taken
  b.onSuccess();
  assert.equal(b.state, 'half_open');
  assert.equal(b.tryAcquire(), false); // a finished trial does not free a slot
  b.onSuccess();
  assert.equal(b.state, 'closed');
  assert.equal(b.tryAcquire(), true);
  assert.deepEqual(changes, ['open', 'half_open', 'closed']);
});

test('any trial failure reopens it for another open_duration', () => {
  const { b, changes, advance } = setup();
  for (let i = 0; i < 3; i++) b.onFailure();
  advance(1_000);
  assert.equal(b.tryAcquire(), true);
  assert.equal(b.tryAcquire(), true);
  b.onSuccess();
  b.onFailure();
  assert.equal(b.state, 'open');
  advance(999);
  assert.equal(b.tryAcquire(), false);
  advance(1);
  assert.equal(b.tryAcquire(), true);
  assert.deepEqual(changes, ['open', 'half_open', 'open', 'half_open']);
});

test('release() gives a trial slot back without an outcome', () => {
  const { b, advance } = setup({ failure_threshold: 1, open_duration: 10, half_open_requests: 1 });
  b.onFailure();
  advance(10);
  assert.equal(b.tryAcquire(), true);
  assert.equal(b.tryAcquire(), false);
  b.release();
  assert.equal(b.state, 'half_open');
  assert.equal(b.tryAcquire(), true);
  b.onSuccess();
  assert.equal(b.state, 'closed');
});

test('outcomes of attempts started before the breaker opened do not count as trials', () => {
  const { b, advance } = setup({ failure_threshold: 1, open_duration: 10, half_open_requests: 1 });
  b.onFailure();
  b.onFailure(); // late failures while open change nothing
  advance(10);
  assert.equal(b.state, 'half_open');
  b.onSuccess(); // no trial in flight: a stale answer
  b.onFailure();
  assert.equal(b.state, 'half_open');
  assert.equal(b.tryAcquire(), true);
  b.onSuccess();
  assert.equal(b.state, 'closed');
});

test('successes in closed state keep it closed; release() when closed is harmless', () => {
  const { b } = setup();
  b.release();
  for (let i = 0; i < 10; i++) {
    assert.equal(b.tryAcquire(), true);
    b.onSuccess();
  }
  assert.equal(b.state, 'closed');
});

test('bad settings are clear errors', () => {
  assert.throws(() => new CircuitBreaker({ failure_threshold: 0, open_duration: 1, half_open_requests: 1 }), /failure_threshold/);
  assert.throws(() => new CircuitBreaker({ failure_threshold: 1, open_duration: -1, half_open_requests: 1 }), /open_duration/);
  assert.throws(
    () => new CircuitBreaker({ failure_threshold: 1, open_duration: 1, half_open_requests: 1.5 }),
    /half_open_requests/,
  );
});
