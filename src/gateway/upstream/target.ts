// One upstream target (an origin, optionally with a path prefix) and its per-target state.
import { Pool } from 'undici';
import type { UpstreamConfig } from '../../config/schema.js';

/** Why an attempt failed; also the `kind` label of shieldx_upstream_errors_total. */
export type FailureKind = 'connect' | 'timeout' | 'reset' | 'status_5xx';

export interface Target {
  /** Origin plus path prefix without a trailing slash, e.g. "http://127.0.0.1:3001" or "http://h:80/api". */
  readonly id: string;
  /** Base URL (may carry a path prefix). */
  readonly url: URL;
  /** url.pathname without its trailing slash: "" or e.g. "/api". Prepend it to the request path. */
  readonly pathPrefix: string;
  readonly weight: number;
  /** One undici Pool per target, connect timeout and keep-alive set from the pool config. */
  readonly dispatcher: Pool;
  /** Position in the pool's target list; balancers key their per-target state by it. */
  readonly index: number;
  /** In-flight attempts (least_conn, p2c, ewma). */
  active: number;
  /** Active health check result (true when no health check is configured). */
  healthy: boolean;
  /** Outlier ejection: ejected until this time on the pool's clock (ms); 0 = not ejected. */
  ejectedUntil: number;
}

/** The pool's own view of a target: the public fields plus outlier-detection bookkeeping. */
export class UpstreamTarget implements Target {
  active = 0;
  healthy = true;
  ejectedUntil = 0;
  /** Consecutive failed attempts since the last success or ejection. */
  consecutiveFailures = 0;
  /** Ejection multiplier (times ejected, decayed while healthy, capped). */
  timesEjected = 0;
  /** When the target last came back from an ejection (pool clock). */
  returnedAt = 0;
  /** Timer that publishes the return from ejection when no traffic arrives to notice it. */
  returnTimer: NodeJS.Timeout | undefined;
  /** Pre-built metric label sets, so failures allocate nothing. */
  readonly gaugeLabels: { upstream: string; target: string };
  readonly errorLabels: Record<FailureKind, { upstream: string; target: string; kind: FailureKind }>;

  constructor(
    readonly upstream: string,
    readonly id: string,
    readonly url: URL,
    readonly pathPrefix: string,
    readonly weight: number,
    readonly dispatcher: Pool,
    readonly index: number,
  ) {
    this.gaugeLabels = { upstream, target: id };
    const labels = (kind: FailureKind) => ({ upstream, target: id, kind });
    this.errorLabels = {
      connect: labels('connect'),
      timeout: labels('timeout'),
      reset: labels('reset'),
      status_5xx: labels('status_5xx'),
    };
  }

  /** Healthy and not ejected. */
  get available(): boolean {
    return this.healthy && this.ejectedUntil === 0;
  }
}

/** Keep-alive for idle upstream connections (undici's default; the config has no knob for it). */
export const UPSTREAM_KEEPALIVE_MS = 4_000;
const UPSTREAM_KEEPALIVE_MAX_MS = 600_000;

/** Parse and validate one target URL. Throws an Error naming the upstream on bad input. */
export function parseTargetUrl(upstream: string, raw: string): { id: string; url: URL; pathPrefix: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`upstream "${upstream}": invalid target URL "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`upstream "${upstream}": target "${raw}" must be an http:// or https:// URL`);
  if (url.username || url.password) throw new Error(`upstream "${upstream}": target "${raw}" must not carry credentials`);
  if (url.search || url.hash) throw new Error(`upstream "${upstream}": target "${raw}" must not carry a query or fragment`);
  const pathPrefix = url.pathname.replace(/\/+$/, '');
  return { id: url.origin + pathPrefix, url, pathPrefix };
}

/** Build the targets of a pool, one undici Pool each. Throws on bad or duplicate targets. */
export function createTargets(upstream: string, cfg: UpstreamConfig, keepAliveTimeout = UPSTREAM_KEEPALIVE_MS): UpstreamTarget[] {
  if (!Array.isArray(cfg.targets) || cfg.targets.length === 0)
    throw new Error(`upstream "${upstream}": at least one target is required`);
  const specs = cfg.targets.map((spec) => {
    const raw = typeof spec === 'string' ? spec : spec?.url;
    const weight = typeof spec === 'string' ? 1 : (spec?.weight ?? 1);
    if (typeof raw !== 'string') throw new Error(`upstream "${upstream}": every target needs a url`);
    if (!(Number.isFinite(weight) && weight > 0))
      throw new Error(`upstream "${upstream}": target "${raw}" weight must be a positive number`);
    return { ...parseTargetUrl(upstream, raw), weight };
  });
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.id)) throw new Error(`upstream "${upstream}": duplicate target "${s.id}" (use weight instead)`);
    seen.add(s.id);
  }
  return specs.map(
    (s, i) =>
      new UpstreamTarget(
        upstream,
        s.id,
        s.url,
        s.pathPrefix,
        s.weight,
        new Pool(s.url.origin, {
          connections: cfg.max_connections,
          connect: { timeout: cfg.connect_timeout },
          keepAliveTimeout,
          keepAliveMaxTimeout: Math.max(keepAliveTimeout, UPSTREAM_KEEPALIVE_MAX_MS),
          headersTimeout: cfg.read_timeout,
          bodyTimeout: cfg.read_timeout,
        }),
        i,
      ),
  );
}
