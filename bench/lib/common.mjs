// Shared by the bench/ scripts: the repository root, the one error type a bench reports as a plain
// message (anything else is a bug and gets a stack), and progress logging on stderr.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** An expected failure (bad setting, a target that does not start or answers wrongly): message only. */
export class BenchError extends Error {}

/** Progress on stderr, so stdout carries only the report. */
export function log(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
