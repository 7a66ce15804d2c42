// Passive outlier detection: consecutive_failures failed attempts in a row eject a target for
// base_ejection_time x its ejection multiplier (capped at 10). The multiplier grows by one per
// ejection and shrinks by one per base_ejection_time the target then stays in service, so a
// flapping target stays out longer and a recovered one is forgiven. Never ejects past
// max_ejection_percent of the pool. Returns are noticed lazily (refresh) on the next pick.
import type { UpstreamTarget } from './target.js';

export const MAX_EJECTION_MULTIPLIER = 10;

export interface OutlierConfig {
  consecutive_failures: number;
  base_ejection_time: number;
  max_ejection_percent: number;
}

export class OutlierDetector {
  private ejected = 0;

  constructor(
    private readonly cfg: OutlierConfig,
    private readonly poolSize: number,
    /** Called after a target was ejected or returned. */
    private readonly onChange: (t: UpstreamTarget, ejected: boolean) => void,
  ) {}

  get ejectedCount(): number {
    return this.ejected;
  }

  onSuccess(t: UpstreamTarget): void {
    t.consecutiveFailures = 0;
  }

  /** Count a failure; returns true when it ejected the target. */
  onFailure(t: UpstreamTarget, now: number): boolean {
    // Attempts still in flight on an ejected target do not extend its ejection.
    if (t.ejectedUntil !== 0) return false;
    if (++t.consecutiveFailures < this.cfg.consecutive_failures) return false;
    if ((this.ejected + 1) * 100 > this.cfg.max_ejection_percent * this.poolSize) return false;
    const base = this.cfg.base_ejection_time;
    if (!(base > 0)) return false;
    if (t.timesEjected > 0) {
      const forgiven = Math.floor(Math.max(0, now - t.returnedAt) / base);
      t.timesEjected = Math.max(0, t.timesEjected - forgiven);
    }
    t.timesEjected = Math.min(t.timesEjected + 1, MAX_EJECTION_MULTIPLIER);
    t.ejectedUntil = now + base * t.timesEjected;
    t.consecutiveFailures = 0;
    this.ejected++;
    this.onChange(t, true);
    return true;
  }

  /** Return t to service if its ejection is over; true when it returned. */
  refresh(t: UpstreamTarget, now: number): boolean {
    if (t.ejectedUntil === 0 || now < t.ejectedUntil) return false;
    t.ejectedUntil = 0;
    t.returnedAt = now;
    t.consecutiveFailures = 0;
    this.ejected--;
    this.onChange(t, false);
    return true;
  }
}
