// The stage contract: every step of the request path reads a RequestContext, may add signals to it,
// and may end the request with a Verdict. Stages are created once per route per config generation
// (so they compile whatever they need up front) and run many times.
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import type { RouteConfig, ShieldxConfig } from '../config/schema.js';
import type { KeyValueStore } from '../store/kv.js';
import type { DecisionSource } from './stages/policy.js';

/** The identity a verified client certificate gives (mTLS). */
export interface ClientIdentity {
  subject: string;
  issuer: string;
  sans: string[];
  /** The first spiffe:// URI SAN, if any. */
  spiffe_id?: string;
  fingerprint256: string;
  authorized: boolean;
}

/** The request as stages and policies see it: the `request` part of the Rego input document. */
export interface RequestInfo {
  method: string;
  scheme: 'http' | 'https';
  host: string;
  path: string;
  query: string;
  headers: IncomingHttpHeaders;
  client_ip: string;
  protocol: 'HTTP/1.0' | 'HTTP/1.1' | 'HTTP/2' | 'HTTP/3';
  body_sha256?: string;
}

export interface Principal {
  sub?: string;
  tenant?: string;
  roles?: string[];
  auth_method?: string;
  mfa_at?: string;
}

/** How a stage ends a request. `allow` ends the stage list early and proxies. */
export type Verdict =
  | {
      action: 'allow';
      reason?: string;
      /** Proxy to this upstream pool instead of the route's (a policy's `divert`). */
      upstream?: string;
      /** Headers added to the response. */
      headers?: Record<string, string>;
    }
  | {
      action: 'deny';
      status: number;
      reason: string;
      /** JSON body; defaults to {error, reason, request_id}. */
      body?: Record<string, unknown>;
      headers?: Record<string, string>;
    }
  | { action: 'tarpit'; delayMs: number; then: 'allow' | 'deny'; status?: number; reason: string };

export interface RequestContext {
  readonly id: string;
  readonly startNs: bigint;
  readonly request: RequestInfo;
  readonly route: RouteConfig;
  /** Declared Content-Length, or undefined for chunked / HTTP/2 streams without one. */
  readonly contentLength: number | undefined;
  readonly clientCert: ClientIdentity | undefined;
  principal: Principal;
  /** Signals stages add for later stages and the policy (`signals` in the input document). */
  signals: Record<string, unknown>;
  /** Headers a stage wants on the response whatever the outcome (e.g. RateLimit-*). */
  responseHeaders: Record<string, string>;
  /**
   * The request body, read before the pipeline runs when one of the route's stages declares
   * `needsBody` (undefined otherwise, and for requests without a body). Under the `partial` limit
   * policy it holds only the first maxBytes bytes; the rest is still streamed upstream.
   */
  body?: Buffer;
  readonly log: Logger;
}

/** A stage's request-body requirement: how much to buffer and what to do with a larger body. */
export interface BodyNeed {
  maxBytes: number;
  /** reject: answer 413 (SecRequestBodyLimitAction Reject); partial: inspect the first maxBytes only (ProcessPartial). */
  onLimit: 'reject' | 'partial';
}

export type StageResult = Verdict | undefined;

export interface Stage {
  readonly name: string;
  /** Sync stages return directly; only stages that must wait return a promise (keeps the hot path cheap). */
  run(ctx: RequestContext): StageResult | Promise<StageResult>;
  /** Set by stages that inspect the request body: the gateway buffers it (ctx.body) before the pipeline runs. */
  readonly needsBody?: BodyNeed;
  /** Release timers/connections when the config generation that created it retires. */
  close?(): void | Promise<void>;
}

/** Shared services a stage factory may use. */
export interface StageDeps {
  config: ShieldxConfig;
  kv: { memory: KeyValueStore; redis?: KeyValueStore };
  log: Logger;
  /** The generation's prepared Rego policy set, when policy.paths is configured. */
  policy?: DecisionSource;
  /** Directory relative file paths in stage settings are resolved against (the config file's); default cwd. */
  baseDir?: string;
}

export interface StageFactory {
  readonly name: string;
  readonly description: string;
  /** Build the stage for one route. Throw StageConfigError for bad settings. */
  create(route: RouteConfig, deps: StageDeps): Stage;
}

export class StageConfigError extends Error {
  constructor(
    message: string,
    /** Config key path, e.g. ['routes', 0, 'rate_limits', 1, 'key']. */
    readonly path: (string | number)[] = [],
  ) {
    super(message);
    this.name = 'StageConfigError';
  }
}
