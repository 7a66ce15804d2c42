// Active health checks: GET <target prefix><path> on every target each interval (measured from the
// end of the previous check, so a slow target never has overlapping checks), through a separate
// undici Agent that opens a fresh connection per check (the check proves a new connection works,
// and never takes a connection slot from proxied traffic). healthy_threshold consecutive passes
// mark a target healthy, unhealthy_threshold consecutive failures mark it unhealthy. Targets
// start healthy so traffic flows before the first result.
import { Agent, request } from 'undici';
import type { UpstreamConfig } from '../../config/schema.js';
import { silentLogger, type Logger } from '../../telemetry/log.js';
import type { Target } from './target.js';

export type HealthCheckConfig = NonNullable<UpstreamConfig['health_check']>;

const HEADERS = { 'user-agent': 'shieldx-health-check' };

export class HealthChecker {
  private readonly agent: Agent;
  private readonly urls: string[];
  private readonly passes: Uint32Array;
  private readonly fails: Uint32Array;
  private readonly timers: (NodeJS.Timeout | undefined)[];
  private readonly running = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  private started = false;
  private closed = false;

  constructor(
    private readonly targets: readonly Target[],
    private readonly cfg: HealthCheckConfig,
    /** Called when a target's health flips. */
    private readonly onChange: (t: Target, healthy: boolean) => void,
    private readonly log: Logger = silentLogger,
  ) {
    if (!(cfg.interval > 0)) throw new Error(`health_check.interval must be greater than 0, got ${cfg.interval}`);
    if (!(cfg.timeout > 0)) throw new Error(`health_check.timeout must be greater than 0, got ${cfg.timeout}`);
    if (!cfg.path.startsWith('/')) throw new Error(`health_check.path must start with "/", got "${cfg.path}"`);
    const [lo, hi] = cfg.expected_status;
    if (!(lo <= hi)) throw new Error(`health_check.expected_status [${lo}, ${hi}] is empty`);
    this.urls = targets.map((t) => t.url.origin + t.pathPrefix + cfg.path);
    this.passes = new Uint32Array(targets.length);
    this.fails = new Uint32Array(targets.length);
    this.timers = targets.map(() => undefined);
    this.agent = new Agent({ connect: { timeout: cfg.timeout }, keepAliveTimeout: 1_000 });
  }

  /** Start checking every target now, then every interval. Timers are unref()'d. Idempotent. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    for (let i = 0; i < this.targets.length; i++) this.schedule(i, 0);
  }

  /** Check every target once and apply the results (also usable without start()). */
  async runOnce(): Promise<void> {
    await Promise.all(this.targets.map((_, i) => this.track(this.check(i))));
  }

  /** Probe one target once: true when it answered with an expected status within the timeout. */
  async probe(i: number): Promise<boolean> {
    const url = this.urls[i] as string;
    try {
      const res = await request(url, {
        dispatcher: this.agent,
        method: 'GET',
        headers: HEADERS,
        reset: true,
        signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(this.cfg.timeout)]),
      });
      await res.body.dump();
      return res.statusCode >= this.cfg.expected_status[0] && res.statusCode <= this.cfg.expected_status[1];
    } catch {
      return false;
    }
  }

  /** Stop the timers, abort checks in flight and close the agent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (let i = 0; i < this.timers.length; i++) {
      clearTimeout(this.timers[i]);
      this.timers[i] = undefined;
    }
    this.stop.abort();
    await Promise.allSettled([...this.running]);
    await this.agent.close();
  }

  private schedule(i: number, delay: number): void {
    if (this.closed) return;
    this.timers[i] = setTimeout(this.tick, delay, i).unref();
  }

  private readonly tick = (i: number): void => {
    this.timers[i] = undefined;
    this.track(this.check(i)).then(
      () => this.schedule(i, this.cfg.interval),
      (err: unknown) => {
        this.log.error({ err, target: this.targets[i]?.id }, 'health check failed to apply its result');
        this.schedule(i, this.cfg.interval);
      },
    );
  };

  private track(p: Promise<void>): Promise<void> {
    this.running.add(p);
    return p.finally(() => this.running.delete(p));
  }

  private async check(i: number): Promise<void> {
    const ok = await this.probe(i);
    if (this.closed) return;
    const t = this.targets[i] as Target;
    if (ok) {
      this.fails[i] = 0;
      this.passes[i] = (this.passes[i] as number) + 1;
      if (!t.healthy && (this.passes[i] as number) >= this.cfg.healthy_threshold) this.onChange(t, true);
    } else {
      this.passes[i] = 0;
      this.fails[i] = (this.fails[i] as number) + 1;
      if (t.healthy && (this.fails[i] as number) >= this.cfg.unhealthy_threshold) this.onChange(t, false);
    }
  }
}
