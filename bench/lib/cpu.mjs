// CPU time from /proc, to report CPU per request and how much unrelated work ran during a run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const CLK_TCK = (() => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** Fields after "(comm) " in /proc/PID/stat: [0] state, [2] pgrp, [11] utime, [12] stime, [13] cutime, [14] cstime. */
function statFields(text) {
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime of every live process in process group `pgid`, in seconds. */
export function groupCpuSeconds(pgid) {
  let ticks = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (d.charCodeAt(0) > 57) continue; // not a pid
    let text;
    try {
      text = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const f = statFields(text);
    if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / CLK_TCK;
}

/**
 * Busy CPU seconds of the whole machine, all cores: user, nice, system and steal. Interrupt and
 * softirq time is left out: on loopback most of it is the benchmark's own packets, which the
 * kernel does not charge to any process.
 */
export function machineBusySeconds() {
  const v = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1, 9).map(Number);
  // user nice system idle iowait irq softirq steal
  return (v[0] + v[1] + v[2] + v[7]) / CLK_TCK;
}

/** CPU seconds of this driver plus its children already reaped (wrk, once it has exited). */
export function selfCpuSeconds() {
  const f = statFields(fs.readFileSync('/proc/self/stat', 'utf8'));
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK;
}

/** A point-in-time sample; see `cpuBetween`. */
export function cpuSnapshot(pgids) {
  return {
    at: performance.now(),
    groups: pgids.map(groupCpuSeconds),
    machine: machineBusySeconds(),
    self: selfCpuSeconds(),
  };
}

/**
 * CPU seconds each group used between two snapshots, and `otherPct`: what every other process
 * used meanwhile (not the groups, not this driver, not wrk), in percent of one core.
 */
export function cpuBetween(before, after) {
  const groups = after.groups.map((v, i) => v - before.groups[i]);
  const ours = groups.reduce((a, b) => a + b, 0) + (after.self - before.self);
  const seconds = (after.at - before.at) / 1000;
  const otherPct = Math.max(0, ((after.machine - before.machine - ours) / seconds) * 100);
  return { groups, otherPct };
}
