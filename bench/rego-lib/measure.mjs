// Timing for bench/rego: a throughput pass (the bare loop over all inputs, one clock reading at each
// end) and a latency pass (process.hrtime.bigint() around every call). Each engine gets loops of
// its own, compiled from source with new Function, so that every call site in them sees one
// decide function only: V8 can then inline and optimise each engine's loop as a real caller
// would, and no engine pays for the megamorphic call site a shared loop would become.

const THROUGHPUT_SRC = `
  let allowed = 0;
  const n = inputs.length;
  const t0 = hr();
  for (let i = 0; i < n; i++) if (decide(inputs[i]) === true) allowed++;
  const t1 = hr();
  return { ns: Number(t1 - t0), allowed };
`;

const LATENCY_SRC = `
  let allowed = 0;
  const n = inputs.length;
  for (let i = 0; i < n; i++) {
    const input = inputs[i];
    const t0 = hr();
    const r = decide(input);
    const t1 = hr();
    lat[i] = Number(t1 - t0);
    if (r === true) allowed++;
  }
  return allowed;
`;

/** Fresh loops for one engine: throughput(inputs) → {ns, allowed}, latency(inputs, lat) → allowed. */
export function loopsFor(decide) {
  const hr = process.hrtime.bigint;
  const tp = new Function('decide', 'hr', 'inputs', THROUGHPUT_SRC);
  const lt = new Function('decide', 'hr', 'inputs', 'lat', LATENCY_SRC);
  return {
    throughput: (inputs) => tp(decide, hr, inputs),
    latency: (inputs, lat) => lt(decide, hr, inputs, lat),
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function median(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The latency of the timer itself: two back-to-back hrtime.bigint() readings, as in the latency pass. */
export function timerOverhead(n = 100_000) {
  const hr = process.hrtime.bigint;
  const lat = new Float64Array(n);
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < n; i++) {
      const t0 = hr();
      const t1 = hr();
      lat[i] = Number(t1 - t0);
    }
  }
  lat.sort();
  return { p50_ns: percentile(lat, 50), p99_ns: percentile(lat, 99) };
}

/** One round for one engine: throughput first, then latency. Figures in decisions/s and µs. */
export function measureRound(loops, inputs, lat) {
  const tp = loops.throughput(inputs);
  const allowedLat = loops.latency(inputs, lat);
  lat.sort();
  let sum = 0;
  for (let i = 0; i < lat.length; i++) sum += lat[i];
  return {
    decisions_per_s: inputs.length / (tp.ns / 1e9),
    mean_us: sum / lat.length / 1e3,
    p50_us: percentile(lat, 50) / 1e3,
    p99_us: percentile(lat, 99) / 1e3,
    max_us: lat[lat.length - 1] / 1e3,
    allowed: [tp.allowed, allowedLat],
  };
}

/** Medians over rounds of each figure; the per-round values are kept for the report. */
export function combine(rounds) {
  const keys = ['decisions_per_s', 'mean_us', 'p50_us', 'p99_us', 'max_us'];
  const out = {};
  for (const k of keys) out[k] = median(rounds.map((r) => r[k]));
  out.rounds = rounds.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));
  return out;
}
