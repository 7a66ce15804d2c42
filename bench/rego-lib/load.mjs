// "Other load" while an engine is measured: CPU time that other processes got on the core this
// process is pinned to (or on the whole machine when it is not pinned), in % of one core. On a
// shared machine, a run where that is high measured the scheduler as much as the engine.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

const CLK_TCK = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** Busy seconds (user, nice, system, steal) of /proc/stat line `cpu` or `cpuN`; NaN when unreadable. */
function busySeconds(line) {
  try {
    const text = fs.readFileSync('/proc/stat', 'utf8');
    const row = text.split('\n').find((l) => l.startsWith(`${line} `));
    if (!row) return Number.NaN;
    const v = row.trim().split(/\s+/).slice(1, 9).map(Number);
    return (v[0] + v[1] + v[2] + v[7]) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

/** A load meter for `cpu` (a CPU number, or null for the whole machine). */
export function loadMeter(cpu) {
  const line = cpu === null ? 'cpu' : `cpu${cpu}`;
  let wall = 0;
  let busy = 0;
  let self = 0;
  let t0 = 0;
  let b0 = 0;
  let s0 = 0;
  const selfSeconds = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  return {
    start() {
      t0 = performance.now();
      b0 = busySeconds(line);
      s0 = selfSeconds();
    },
    stop() {
      busy += busySeconds(line) - b0;
      self += selfSeconds() - s0;
      wall += (performance.now() - t0) / 1000;
    },
    /** Other processes' CPU over all start/stop intervals, % of one core. */
    otherPct: () => (wall > 0 ? Math.max(0, ((busy - self) / wall) * 100) : Number.NaN),
  };
}
