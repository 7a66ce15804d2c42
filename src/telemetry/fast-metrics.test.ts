import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AggregatorRegistry, Registry } from 'prom-client';
import { FastCounter, FastHistogram } from './fast-metrics.js';

test('counter and histogram expose Prometheus text like prom-client', async () => {
  const r = new Registry();
  const c = new FastCounter('t_requests_total', 'requests', ['route', 'status'], [r]);
  const h = new FastHistogram('t_latency_seconds', 'latency', ['route'], [0.1, 0.5, 1], [r]);
  c.labels('a', '200').inc();
  c.labels('a', '200').inc(2);
  c.labels('b', '500').inc();
  assert.equal(c.labels('a', '200'), c.labels('a', '200'), 'children are cached');
  for (const v of [0.05, 0.1, 0.3, 0.7, 3]) h.labels('a').observe(v);
  const text = await r.metrics();
  assert.match(text, /# TYPE t_requests_total counter/);
  assert.match(text, /t_requests_total\{route="a",status="200"\} 3/);
  assert.match(text, /t_requests_total\{route="b",status="500"\} 1/);
  assert.match(text, /# TYPE t_latency_seconds histogram/);
  assert.match(text, /t_latency_seconds_bucket\{route="a",le="0.1"\} 2/); // le is inclusive
  assert.match(text, /t_latency_seconds_bucket\{route="a",le="0.5"\} 3/);
  assert.match(text, /t_latency_seconds_bucket\{route="a",le="1"\} 4/);
  assert.match(text, /t_latency_seconds_bucket\{route="a",le="\+Inf"\} 5/);
  assert.match(text, /t_latency_seconds_sum\{route="a"\} 4\.15/);
  assert.match(text, /t_latency_seconds_count\{route="a"\} 5/);
  assert.throws(() => c.labels('only-one'), /expected 2 label values/);
});

test('values from several processes aggregate by summing', async () => {
  const mk = () => {
    const r = new Registry();
    const c = new FastCounter('t_total', 'x', ['k'], [r]);
    const h = new FastHistogram('t_seconds', 'x', ['k'], [1], [r]);
    return { r, c, h };
  };
  const a = mk();
  const b = mk();
  a.c.labels('x').inc(2);
  b.c.labels('x').inc(3);
  a.h.labels('x').observe(0.5);
  b.h.labels('x').observe(2);
  const merged = AggregatorRegistry.aggregate([await a.r.getMetricsAsJSON(), await b.r.getMetricsAsJSON()] as never);
  const text = await merged.metrics();
  assert.match(text, /t_total\{k="x"\} 5/);
  assert.match(text, /t_seconds_bucket\{k="x",le="1"\} 1/);
  assert.match(text, /t_seconds_count\{k="x"\} 2/);
});
