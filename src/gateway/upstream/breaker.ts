// Circuit breaker for one upstream pool. closed: everything passes; failure_threshold consecutive
// failures open it. open: nothing passes until open_duration has gone by, then (noticed lazily on
// the next tryAcquire or state read) half_open: half_open_requests trial attempts pass; that many
// successes close it, one failure reopens it.
//
// Trial slots: tryAcquire() takes one while half-open; onSuccess/onFailure give it back with the
// outcome, release() gives it back without one (attempt abandoned before an upstream answer).
// Outcomes that arrive while half-open with no trial in flight come from attempts started before
// the breaker opened; they are ignored so a stale answer neither closes nor reopens it.
import { monotonicNow, type Clock } from './clock.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerConfig {
  failure_threshold: number;
  open_duration: number;
  half_open_requests: number;
}

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialsInFlight = 0;
  private trialSuccesses = 0;

  constructor(
    private readonly cfg: BreakerConfig,
    private readonly now: Clock = monotonicNow,
    private readonly onChange?: (s: BreakerState) => void,
  ) {
    if (!(Number.isInteger(cfg.failure_threshold) && cfg.failure_threshold >= 1))
      throw new Error(`circuit_breaker.failure_threshold must be a positive integer, got ${cfg.failure_threshold}`);
    if (!(Number.isInteger(cfg.half_open_requests) && cfg.half_open_requests >= 1))
      throw new Error(`circuit_breaker.half_open_requests must be a positive integer, got ${cfg.half_open_requests}`);
    if (!(Number.isFinite(cfg.open_duration) && cfg.open_duration >= 0))
      throw new Error(`circuit_breaker.open_duration must be a non-negative duration, got ${cfg.open_duration}`);
  }

  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.cfg.open_duration) this.enter('half_open');
    return this.current;
  }

  /** May an attempt start? false when open, or half-open with every trial slot taken. */
  tryAcquire(): boolean {
    switch (this.state) {
      case 'closed':
        return true;
      case 'open':
        return false;
      case 'half_open':
        if (this.trialsInFlight + this.trialSuccesses >= this.cfg.half_open_requests) return false;
        this.trialsInFlight++;
        return true;
    }
  }

  /** Give back an acquired slot without an outcome (no target, client gone, request abandoned). */
  release(): void {
    if (this.current === 'half_open' && this.trialsInFlight > 0) this.trialsInFlight--;
  }

  onSuccess(): void {
    if (this.current === 'closed') {
      this.failures = 0;
    } else if (this.current === 'half_open' && this.trialsInFlight > 0) {
      this.trialsInFlight--;
      if (++this.trialSuccesses >= this.cfg.half_open_requests) this.enter('closed');
    }
  }

  onFailure(): void {
    if (this.current === 'closed') {
      if (++this.failures >= this.cfg.failure_threshold) this.enter('open');
    } else if (this.current === 'half_open' && this.trialsInFlight > 0) {
      this.enter('open');
    }
  }

  private enter(s: BreakerState): void {
    this.current = s;
    this.failures = 0;
    this.trialsInFlight = 0;
    this.trialSuccesses = 0;
    if (s === 'open') this.openedAt = this.now();
    this.onChange?.(s);
  }
}
