// Child processes of a bench run. Each starts in its own process group, so stopping it also stops
// the workers it forked (nginx workers, ShieldX workers), and nothing outlives the run: every live
// group is killed on a normal exit, an error or a signal.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BenchError, ROOT } from './common.mjs';

const children = new Set();

/**
 * Start a child with stdout+stderr appended to `<logDir>/<name>.log`. With `onLine`, that output
 * is also split into lines for it (readiness lines). Returns an entry whose `exitPromise` resolves
 * once the process has exited and its output has been read to the end.
 */
export function startChild(name, cmd, args, { logDir, onLine, cwd, env } = {}) {
  const logFile = path.join(logDir, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cmd, args, {
    cwd: cwd ?? ROOT,
    env: env ?? process.env,
    detached: true,
    stdio: onLine ? ['ignore', 'pipe', 'pipe'] : ['ignore', out, out],
  });
  const entry = { name, child, logFile, exited: null };
  children.add(entry);
  entry.exitPromise = new Promise((resolve) => {
    const done = (exited) => {
      if (entry.exited) return;
      entry.exited = exited;
      children.delete(entry);
      fs.closeSync(out);
      resolve(exited);
    };
    // 'close', not 'exit': by then the piped stdout has been read to its end.
    child.once('close', (code, signal) => done({ code, signal }));
    child.once('error', (error) => done({ code: null, signal: null, error }));
  });
  if (onLine) {
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        fs.appendFileSync(logFile, chunk);
        buf += chunk;
        let nl = buf.indexOf('\n');
        while (nl >= 0) {
          onLine(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          nl = buf.indexOf('\n');
        }
      });
    }
  }
  return entry;
}

function killGroup(entry, signal) {
  if (entry.child.pid === undefined) return;
  try {
    process.kill(-entry.child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** SIGTERM the child's group, SIGKILL it after `graceMs`, and make sure no member is left. */
export async function stopChild(entry, graceMs = 3000) {
  if (entry.exited) return;
  killGroup(entry, 'SIGTERM');
  let timer;
  const timeout = new Promise((r) => {
    timer = setTimeout(r, graceMs, 'timeout');
  });
  const first = await Promise.race([entry.exitPromise, timeout]);
  clearTimeout(timer);
  // On timeout, or for workers outliving their leader by a moment: the group is ours, end it.
  killGroup(entry, 'SIGKILL');
  if (first === 'timeout') await entry.exitPromise;
}

export async function stopAll() {
  await Promise.all([...children].map((c) => stopChild(c)));
}

// Last resort when the driver exits without having stopped everything (an unexpected error).
process.on('exit', () => {
  for (const c of children) killGroup(c, 'SIGKILL');
});

export function logTail(entry, lines = 30) {
  try {
    return fs.readFileSync(entry.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') || '(no output)';
  } catch {
    return '(no output)';
  }
}

export function describeExit(exited) {
  if (exited.error) return exited.error.message;
  return exited.signal ? `killed by ${exited.signal}` : `exit code ${exited.code}`;
}

/** Absolute path of an executable on PATH (or in the sbin directories, where Debian puts nginx). */
export function which(bin) {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin', '/usr/bin']);
  for (const d of dirs) {
    if (!d) continue;
    const p = path.join(d, bin);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // keep looking
    }
  }
  return null;
}

/** Run a short command in the foreground with its output on our stderr; returns the exit status. */
export function runForeground(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', process.stderr, process.stderr], ...opts });
  if (r.error) throw new BenchError(`${cmd}: ${r.error.message}`);
  return r.status;
}
