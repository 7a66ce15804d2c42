// Prometheus metrics. One registry per process; metric objects are created once and shared.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { FastCounter, FastHistogram } from './fast-metrics.js';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'shieldx_process_' });

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const metrics = {
  // Per-request metrics use the allocation-free implementations (fast-metrics.ts).
  requests: new FastCounter(
    'shieldx_requests_total',
    'Requests handled, by route, final action and response status.',
    ['route', 'action', 'status'],
    [registry],
  ),
  requestDuration: new FastHistogram(
    'shieldx_request_duration_seconds',
    'End-to-end request latency (first byte in to response finished).',
    ['route'],
    LATENCY_BUCKETS,
    [registry],
  ),
  stageDuration: new FastHistogram(
    'shieldx_stage_duration_seconds',
    'Time spent in each pipeline stage.',
    ['stage'],
    [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    [registry],
  ),
  upstreamDuration: new FastHistogram(
    'shieldx_upstream_duration_seconds',
    'Upstream response-header latency per upstream pool.',
    ['upstream'],
    LATENCY_BUCKETS,
    [registry],
  ),
  upstreamHealthy: new Gauge({
    name: 'shieldx_upstream_target_healthy',
    help: '1 when an upstream target is healthy and not ejected, else 0.',
    labelNames: ['upstream', 'target'] as const,
    registers: [registry],
  }),
  upstreamErrors: new Counter({
    name: 'shieldx_upstream_errors_total',
    help: 'Upstream attempt failures by kind (connect, timeout, reset, status_5xx).',
    labelNames: ['upstream', 'target', 'kind'] as const,
    registers: [registry],
  }),
  upstreamRetries: new Counter({
    name: 'shieldx_upstream_retries_total',
    help: 'Retries sent to an upstream pool, and retries refused by the retry budget.',
    labelNames: ['upstream', 'outcome'] as const,
    registers: [registry],
  }),
  breakerState: new Gauge({
    name: 'shieldx_circuit_breaker_state',
    help: 'Circuit breaker state per upstream pool: 0 closed, 1 half-open, 2 open.',
    labelNames: ['upstream'] as const,
    registers: [registry],
  }),
  rateLimited: new Counter({
    name: 'shieldx_ratelimit_rejections_total',
    help: 'Requests rejected by a rate limit.',
    labelNames: ['route', 'limit'] as const,
    registers: [registry],
  }),
  guardRejections: new Counter({
    name: 'shieldx_protocol_guard_rejections_total',
    help: 'Requests rejected by the protocol guard, by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  }),
  configReloads: new Counter({
    name: 'shieldx_config_reloads_total',
    help: 'Configuration reload attempts by result.',
    labelNames: ['result'] as const,
    registers: [registry],
  }),
  activeConnections: new Gauge({
    name: 'shieldx_active_connections',
    help: 'Open client connections per listener.',
    labelNames: ['listener'] as const,
    registers: [registry],
  }),
};
