// A generation is one applied configuration compiled for serving: router, pipelines, upstream pools.
// Requests take the current generation when they arrive and finish on it; a reload builds a new one,
// swaps it in atomically and retires the old one once its in-flight requests are done.
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { ConfigError, formatPath, type LoadedConfig } from '../config/load.js';
import type { Limits, RouteConfig, ShieldxConfig } from '../config/schema.js';
import { type KeyFn, compileKeyExpr } from '../pipeline/key-expr.js';
import { type Pipeline, buildPipeline } from '../pipeline/pipeline.js';
import { type PolicySet, loadPolicySet } from '../pipeline/policy-set.js';
import { StageConfigError, type StageDeps } from '../pipeline/stage.js';
import type { KeyValueStore } from '../store/kv.js';
import { ClientIpResolver } from './context.js';
import { Router } from './router.js';
import { UpstreamPool } from './upstream/pool.js';

export interface RouteRuntime {
  route: RouteConfig;
  index: number;
  pipeline: Pipeline;
  pool: UpstreamPool;
  hashKey: KeyFn;
  limits: Limits;
  stripPrefix: string | undefined;
}

export interface GenerationDeps {
  kv: { memory: KeyValueStore; redis?: KeyValueStore };
  log: Logger;
}

export class Generation {
  inflight = 0;
  private drained: (() => void) | undefined;

  private constructor(
    readonly loaded: LoadedConfig,
    readonly router: Router<RouteRuntime>,
    readonly routes: readonly RouteRuntime[],
    readonly pools: ReadonlyMap<string, UpstreamPool>,
    readonly clientIp: ClientIpResolver,
    /** The prepared Rego policy set, when policy.paths is configured. */
    readonly policy: PolicySet | undefined,
  ) {}

  get config(): ShieldxConfig {
    return this.loaded.config;
  }

  /**
   * Compile a configuration. Upstream pools whose settings did not change are taken over from the
   * previous generation so health, ejection and breaker state survive a reload. Throws ConfigError.
   */
  static build(
    loaded: LoadedConfig,
    deps: GenerationDeps,
    previous?: Generation,
    opts: { dryRun?: boolean; previousPolicy?: PolicySet } = {},
  ): Generation {
    const cfg = loaded.config;
    const fail = (path: (string | number)[], message: string): never => {
      throw new ConfigError(loaded.source, [{ path: formatPath(path), message, ...loaded.locate?.(path) }]);
    };
    let clientIp: ClientIpResolver;
    try {
      clientIp = new ClientIpResolver(cfg.identity.trusted_proxies);
    } catch (e) {
      if (e instanceof StageConfigError) return fail(e.path, e.message);
      throw e;
    }
    const pools = new Map<string, UpstreamPool>();
    const created: UpstreamPool[] = [];
    const routes: RouteRuntime[] = [];
    let policy: PolicySet | undefined;
    try {
      for (const [name, ucfg] of Object.entries(cfg.upstreams)) {
        const old = previous?.pools.get(name);
        if (old && isDeepStrictEqual(old.cfg, ucfg)) pools.set(name, old);
        else {
          let p: UpstreamPool;
          try {
            p = new UpstreamPool(name, ucfg, { log: deps.log });
          } catch (e) {
            return fail(['upstreams', name], (e as Error).message);
          }
          created.push(p);
          pools.set(name, p);
        }
      }
      try {
        policy = loadPolicySet(cfg.policy, loaded.baseDir, previous?.policy ?? opts.previousPolicy);
      } catch (e) {
        if (e instanceof StageConfigError) fail(e.path, e.message);
        throw e;
      }
      const stageDeps: StageDeps = { config: cfg, kv: deps.kv, log: deps.log, policy: policy?.prepared, baseDir: loaded.baseDir };
      cfg.routes.forEach((route, index) => {
        const pool = pools.get(route.upstream) as UpstreamPool;
        let hashKey: KeyFn;
        try {
          hashKey = compileKeyExpr(cfg.upstreams[route.upstream]?.hash_key ?? 'ip', ['upstreams', route.upstream, 'hash_key']);
        } catch (e) {
          if (e instanceof StageConfigError) fail(e.path, e.message);
          throw e;
        }
        let pipeline: Pipeline;
        try {
          pipeline = buildPipeline(route, index, stageDeps);
        } catch (e) {
          if (e instanceof StageConfigError) fail(e.path, e.message);
          throw e;
        }
        routes.push({
          route,
          index,
          pipeline,
          pool,
          hashKey,
          limits: { ...cfg.limits, ...(route.limits ?? {}) } as Limits,
          stripPrefix: route.strip_prefix,
        });
      });
    } catch (e) {
      for (const p of created) void p.close();
      for (const r of routes) void r.pipeline.close();
      throw e;
    }
    const gen = new Generation(
      loaded,
      new Router(routes.map((r) => ({ route: r.route, value: r }))),
      routes,
      pools,
      clientIp,
      policy,
    );
    if (!opts.dryRun) for (const p of created) p.startHealthChecks();
    return gen;
  }

  enter(): void {
    this.inflight++;
  }

  leave(): void {
    if (--this.inflight === 0 && this.drained) this.drained();
  }

  /** Wait for in-flight requests (bounded by timeoutMs), then release what the next generation did not take over. */
  async retire(next: Generation | undefined, timeoutMs: number): Promise<void> {
    if (this.inflight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await Promise.allSettled(this.routes.map((r) => r.pipeline.close()));
    const kept = new Set(next ? [...next.pools.values()] : []);
    await Promise.allSettled([...this.pools.values()].filter((p) => !kept.has(p)).map((p) => p.close()));
  }
}
