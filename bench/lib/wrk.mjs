// Running wrk and reading its report.
import fs from 'node:fs';
import { BenchError } from './common.mjs';
import { startChild } from './processes.mjs';

const TIME_UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "812.00us", "1.93ms", "1.02s", "2.00m" → milliseconds; NaN when not a wrk time. */
export function parseWrkTime(s) {
  const m = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/.exec(s);
  return m ? Number(m[1]) * TIME_UNIT_MS[m[2]] : Number.NaN;
}

/** The figures of a `wrk --latency` report; a figure it cannot find is NaN. */
export function parseWrk(text) {
  const num = (re) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : Number.NaN;
  };
  const pct = (p) => {
    const m = new RegExp(`^\\s*${p}%\\s+(\\S+)\\s*$`, 'm').exec(text);
    return m ? parseWrkTime(m[1]) : Number.NaN;
  };
  // wrk prints these two lines only when their counts are not zero.
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const bad = /Non-2xx or 3xx responses:\s+(\d+)/.exec(text);
  return {
    rps: num(/^Requests\/sec:\s+(\d+(?:\.\d+)?)/m),
    requests: num(/^\s*(\d+) requests in /m),
    p50_ms: pct(50),
    p99_ms: pct(99),
    // wrk counts a status >= 400 here, whatever the label says.
    non2xx3xx: bad ? Number(bad[1]) : 0,
    socket_errors: sock ? Number(sock[1]) + Number(sock[2]) + Number(sock[3]) + Number(sock[4]) : 0,
  };
}

/**
 * Run wrk against http://127.0.0.1:PORT/ and return its raw report. `launch` turns the command line
 * into the one to spawn (CPU pinning). The process is tracked like every child, so a signal stops it.
 */
export async function runWrk({ port, threads, connections, duration, logDir, launch = (c, a) => [c, a] }) {
  const wrkArgs = ['-t', String(threads), '-c', String(connections), '-d', duration, '--latency', `http://127.0.0.1:${port}/`];
  const [cmd, args] = launch('wrk', wrkArgs);
  const entry = startChild('wrk', cmd, args, { logDir, onLine: () => {} });
  const offset = fs.statSync(entry.logFile).size;
  const exited = await entry.exitPromise;
  const out = fs.readFileSync(entry.logFile).subarray(offset).toString();
  if (exited.error) throw new BenchError(`wrk: ${exited.error.message}`);
  if (exited.code !== 0) throw new BenchError(`wrk exited with ${exited.code ?? exited.signal}:\n${out}`);
  return out;
}

export function median(xs) {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** One result from several rounds of the same target: the median of each figure, error counts summed. */
export function combineRounds(runs) {
  if (runs.length === 1) return runs[0];
  const out = {
    rounds: runs.length,
    rps: median(runs.map((r) => r.rps)),
    requests: runs.reduce((a, r) => a + r.requests, 0),
    p50_ms: median(runs.map((r) => r.p50_ms)),
    p99_ms: median(runs.map((r) => r.p99_ms)),
    non2xx3xx: runs.reduce((a, r) => a + r.non2xx3xx, 0),
    socket_errors: runs.reduce((a, r) => a + r.socket_errors, 0),
    cpu_us_per_req: {},
    other_cpu_pct: median(runs.map((r) => r.other_cpu_pct)),
    per_round: runs,
  };
  for (const k of Object.keys(runs[0].cpu_us_per_req)) out.cpu_us_per_req[k] = median(runs.map((r) => r.cpu_us_per_req[k]));
  return out;
}
