// The gateway: listeners plus the current generation, with atomic reload and graceful shutdown.
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/load.js';
import type { Stores } from '../store/index.js';
import { Generation } from './generation.js';
import { Listener } from './listeners.js';

export class Gateway {
  private gen: Generation;
  private readonly listeners = new Map<string, Listener>();
  private stopping = false;

  constructor(
    loaded: LoadedConfig,
    private readonly stores: Stores,
    private readonly log: Logger,
    private readonly dataDir: string,
  ) {
    this.gen = Generation.build(loaded, { kv: stores.kv, log }, undefined);
  }

  get generation(): Generation {
    return this.gen;
  }

  get ready(): boolean {
    return !this.stopping && this.listeners.size > 0;
  }

  listenerUrls(): { name: string; url: string; protocol: string }[] {
    return [...this.listeners.values()].map((l) => ({ name: l.cfg.name, url: l.url, protocol: l.cfg.protocol }));
  }

  listener(name: string): Listener | undefined {
    return this.listeners.get(name);
  }

  private readonly current = (): Generation => this.gen;

  async start(): Promise<void> {
    const cfg = this.gen.config;
    try {
      for (const lc of cfg.listeners) {
        const l = new Listener(lc, this.current, this.log, this.dataDir);
        await l.start(cfg.limits);
        this.listeners.set(lc.name, l);
      }
    } catch (e) {
      await this.stop(0);
      throw e;
    }
  }

  /**
   * Apply a new configuration. Builds everything first; on any error the running generation is
   * untouched and the error is thrown. Requests in flight finish on the generation they started on.
   */
  async reload(loaded: LoadedConfig): Promise<void> {
    const next = Generation.build(loaded, { kv: this.stores.kv, log: this.log }, this.gen);
    const cfg = loaded.config;
    // Listener changes: start new/changed ones before switching, so a bind failure rejects the reload.
    const started: Listener[] = [];
    const replaced: Listener[] = [];
    try {
      for (const lc of cfg.listeners) {
        const old = this.listeners.get(lc.name);
        const sameSocket =
          old &&
          old.cfg.protocol === lc.protocol &&
          isDeepStrictEqual(old.cfg.address, lc.address) &&
          (old.cfg.tls?.http2 ?? true) === (lc.tls?.http2 ?? true) &&
          isDeepStrictEqual(old.cfg.tls?.client_auth, lc.tls?.client_auth);
        if (old && sameSocket) {
          await old.reload(lc, cfg.limits);
          continue;
        }
        if (old) {
          // Same name, new socket settings: close the old one first so the port can be re-bound.
          replaced.push(old);
          await old.close(0);
          this.listeners.delete(lc.name);
        }
        const l = new Listener(lc, this.current, this.log, this.dataDir);
        await l.start(cfg.limits);
        started.push(l);
      }
    } catch (e) {
      for (const l of started) await l.close(0);
      void next.retire(undefined, 0);
      if (replaced.length) this.log.error('listeners replaced by a failed reload stay closed until the next valid config');
      throw e;
    }
    const prev = this.gen;
    this.gen = next;
    for (const l of started) this.listeners.set(l.cfg.name, l);
    const keep = new Set(cfg.listeners.map((l) => l.name));
    for (const [name, l] of this.listeners) {
      if (!keep.has(name)) {
        this.listeners.delete(name);
        void l.close(cfg.shutdown_timeout);
      }
    }
    void prev.retire(next, cfg.shutdown_timeout);
  }

  /** Graceful: stop accepting, drain in-flight requests up to timeoutMs, release pools. */
  async stop(timeoutMs = this.gen.config.shutdown_timeout): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.listeners.values()].map((l) => l.close(timeoutMs)));
    this.listeners.clear();
    await this.gen.retire(undefined, timeoutMs);
  }
}
