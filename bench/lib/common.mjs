// Shared by the bench/ scripts: the repository root, the one error type a bench reports as a plain
// message (anything else is a bug and gets a stack), and progress logging on stderr.
import fs from 'node:fs';
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

/** `--name value` / `--name=value` flags (and -h/--help) into an object; unknown shapes are errors. */
export function parseArgs(argv) {
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      flags.help = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new BenchError(`unknown argument "${a}" (see --help)`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new BenchError(`--${m[1]} needs a value`);
    flags[m[1]] = value;
  }
  return flags;
}

/** The leading `//` comment block of a script (its --help text). */
export function scriptHeader(scriptUrl) {
  const header = [];
  for (const line of fs.readFileSync(fileURLToPath(scriptUrl), 'utf8').split('\n')) {
    if (!line.startsWith('//')) break;
    header.push(line.replace(/^\/\/ ?/, ''));
  }
  return header.join('\n');
}
