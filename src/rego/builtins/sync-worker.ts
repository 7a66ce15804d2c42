// Blocking calls into asynchronous Node APIs (DNS, HTTP) for the synchronous Rego evaluator: one
// helper thread does the work while the caller waits on a SharedArrayBuffer with Atomics.wait.
// The wait is always bounded by the caller's timeout; a thread that misses its deadline is
// replaced, so a stuck request cannot delay later ones. The thread is unref'd and never keeps
// the process alive.
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { WORKER_SOURCE } from './sync-worker-source.js';

interface Helper {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
  dead: boolean;
}

/** Why a blocking call produced no answer. `code` is the Node error code when the work failed. */
export class SyncCallError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'SyncCallError';
  }
}

let helper: Helper | null = null;
let nextId = 1;

function start(): Helper {
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { port: port2, signal },
    transferList: [port2],
    // The helper needs none of the parent's loaders or flags.
    execArgv: [],
  });
  const h: Helper = { worker, port: port1, flag: new Int32Array(signal), dead: false };
  worker.unref();
  port1.unref();
  const markDead = (): void => {
    h.dead = true;
  };
  worker.on('error', markDead);
  worker.on('exit', markDead);
  return h;
}

function retire(h: Helper): void {
  h.dead = true;
  if (helper === h) helper = null;
  h.port.close();
  void h.worker.terminate().catch(() => undefined);
}

/**
 * Runs `op` on the helper thread and blocks until it answers or `timeoutMs` passes.
 * Returns the answer; throws SyncCallError for failures and timeouts.
 */
export function callSync<T>(op: string, payload: unknown, timeoutMs: number): T {
  if (helper === null || helper.dead) {
    if (helper) retire(helper);
    helper = start();
  }
  const h = helper;
  const id = nextId++;
  Atomics.store(h.flag, 0, 0);
  h.port.postMessage({ id, op, payload });
  const deadline = Date.now() + Math.max(0, timeoutMs);
  for (;;) {
    for (let m = receiveMessageOnPort(h.port); m !== undefined; m = receiveMessageOnPort(h.port)) {
      const msg = m.message as { id: number; error?: { code: string; message: string; timedOut?: boolean } } & T;
      if (msg.id !== id) continue; // a late answer to an earlier call
      if (msg.error) throw new SyncCallError(msg.error.message, msg.error.code, msg.error.timedOut === true);
      return msg;
    }
    const left = deadline - Date.now();
    if (left <= 0 || h.dead) {
      const stopped = h.dead;
      retire(h);
      throw stopped
        ? new SyncCallError('helper thread stopped', 'EWORKER', false)
        : new SyncCallError('timed out', 'ETIMEDOUT', true);
    }
    Atomics.wait(h.flag, 0, 0, Math.min(left, 1000));
    Atomics.store(h.flag, 0, 0);
  }
}
