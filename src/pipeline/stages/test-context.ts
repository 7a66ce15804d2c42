// Test helpers: build a RequestContext, a route and StageDeps with the schema's defaults, so stage
// tests state only what they are about. Not used by production code.
import { configSchema, routeSchema, type RouteConfig, type ShieldxConfig } from '../../config/schema.js';
import { MemoryKeyValueStore } from '../../store/kv-memory.js';
import type { KeyValueStore } from '../../store/kv.js';
import { silentLogger } from '../../telemetry/log.js';
import type { RequestContext, RequestInfo, Stage, StageDeps, StageResult } from '../stage.js';

/** Route input as written in shieldx.yaml (defaults filled by the schema); name/upstream optional. */
export type RouteInput = Partial<Record<keyof RouteConfig, unknown>>;

export interface ContextInput extends Partial<Omit<RequestContext, 'request' | 'route'>> {
  request?: Partial<RequestInfo>;
  route?: RouteInput;
}

/** A parsed route: `{ name: 'test', upstream: 'app' }` merged with `input`, run through routeSchema. */
export function makeRoute(input: RouteInput = {}): RouteConfig {
  return routeSchema.parse({ name: 'test', upstream: 'app', ...input });
}

let nextId = 0;

/** A RequestContext for a GET / from 192.0.2.10 over HTTP/1.1 unless `partial` says otherwise. */
export function makeContext(partial: ContextInput = {}): RequestContext {
  const { request, route, ...rest } = partial;
  const req: RequestInfo = {
    method: 'GET',
    scheme: 'http',
    host: 'example.test',
    path: '/',
    query: '',
    headers: { host: 'example.test' },
    client_ip: '192.0.2.10',
    protocol: 'HTTP/1.1',
    ...request,
  };
  return {
    id: `test-${++nextId}`,
    startNs: process.hrtime.bigint(),
    request: req,
    route: makeRoute(route),
    contentLength: undefined,
    clientCert: undefined,
    principal: {},
    signals: {},
    responseHeaders: {},
    log: silentLogger,
    ...rest,
  };
}

/** A minimal valid config with the given limits (schema defaults for the rest). */
export function makeConfig(limits: Record<string, unknown> = {}): ShieldxConfig {
  return configSchema.parse({
    listeners: [{ name: 'main', address: 0, protocol: 'http' }],
    upstreams: { app: { targets: ['http://127.0.0.1:1'] } },
    routes: [{ name: 'test', upstream: 'app' }],
    limits,
  });
}

export interface DepsInput {
  limits?: Record<string, unknown>;
  memory?: KeyValueStore;
  redis?: KeyValueStore;
}

/** StageDeps over a fresh MemoryKeyValueStore (or the stores given) and the silent logger. */
export function makeDeps(input: DepsInput = {}): StageDeps {
  const kv: StageDeps['kv'] = { memory: input.memory ?? new MemoryKeyValueStore({ sweepIntervalMs: 0 }) };
  if (input.redis) kv.redis = input.redis;
  return { config: makeConfig(input.limits), kv, log: silentLogger };
}

/** Run a stage that must answer synchronously; throws if it returned a promise. */
export function runSync(stage: Stage, ctx: RequestContext): StageResult {
  const r = stage.run(ctx);
  if (typeof (r as Promise<StageResult> | undefined)?.then === 'function')
    throw new Error(`stage ${stage.name} answered with a promise where a synchronous answer was expected`);
  return r as StageResult;
}
