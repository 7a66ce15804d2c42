// Retry budget for one upstream pool, over a sliding 10 s window of 1 s buckets: a retry is allowed
// while retries in the window < max(min_retries_per_second x 10, budget_percent% of requests in the
// window). Keeps retries from multiplying load on an upstream that is already failing.
// recordRequest() once per client request (not per attempt); tryRetry() before each retry.
import { monotonicNow, type Clock } from './clock.js';

const BUCKET_MS = 1_000;
const BUCKETS = 10;

export interface RetryBudgetConfig {
  budget_percent: number;
  min_retries_per_second: number;
}

export class RetryBudget {
  private readonly requests = new Float64Array(BUCKETS);
  private readonly retries = new Float64Array(BUCKETS);
  private requestSum = 0;
  private retrySum = 0;
  /** Absolute number of the newest bucket (time / BUCKET_MS). */
  private bucket = Number.NEGATIVE_INFINITY;
  private readonly ratio: number;
  private readonly minRetries: number;

  constructor(
    cfg: RetryBudgetConfig,
    private readonly now: Clock = monotonicNow,
  ) {
    if (!(Number.isFinite(cfg.budget_percent) && cfg.budget_percent >= 0 && cfg.budget_percent <= 100))
      throw new Error(`retries.budget_percent must be between 0 and 100, got ${cfg.budget_percent}`);
    if (!(Number.isFinite(cfg.min_retries_per_second) && cfg.min_retries_per_second >= 0))
      throw new Error(`retries.min_retries_per_second must be >= 0, got ${cfg.min_retries_per_second}`);
    this.ratio = cfg.budget_percent / 100;
    this.minRetries = cfg.min_retries_per_second * ((BUCKETS * BUCKET_MS) / 1000);
  }

  recordRequest(): void {
    const slot = this.advance();
    this.requests[slot] = (this.requests[slot] as number) + 1;
    this.requestSum++;
  }

  /** true, and the retry is counted, when the budget allows one more retry now. */
  tryRetry(): boolean {
    const slot = this.advance();
    if (this.retrySum >= Math.max(this.minRetries, this.requestSum * this.ratio)) return false;
    this.retries[slot] = (this.retries[slot] as number) + 1;
    this.retrySum++;
    return true;
  }

  /** Requests and retries in the current window. */
  stats(): { requests: number; retries: number } {
    this.advance();
    return { requests: this.requestSum, retries: this.retrySum };
  }

  /** Drop buckets that left the window; return the slot of the current bucket. */
  private advance(): number {
    const b = Math.floor(this.now() / BUCKET_MS);
    if (b > this.bucket) {
      if (b - this.bucket >= BUCKETS) {
        this.requests.fill(0);
        this.retries.fill(0);
        this.requestSum = 0;
        this.retrySum = 0;
      } else {
        for (let k = this.bucket + 1; k <= b; k++) {
          const s = slotOf(k);
          this.requestSum -= this.requests[s] as number;
          this.retrySum -= this.retries[s] as number;
          this.requests[s] = 0;
          this.retries[s] = 0;
        }
      }
      this.bucket = b;
    }
    // A clock that steps back keeps counting into the newest bucket.
    return slotOf(this.bucket);
  }
}

function slotOf(bucket: number): number {
  return ((bucket % BUCKETS) + BUCKETS) % BUCKETS;
}
