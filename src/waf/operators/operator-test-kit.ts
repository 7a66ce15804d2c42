// Test helpers for the operator tests (imported by *.test.ts only): a recording OperatorContext and
// shortcuts to create and run registered operators.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import './index.js';
import { getOperator, type Operator, type OperatorContext } from './registry.js';

/** Records captures; expands %{name} macros from `vars` (names case-insensitive, missing → ''). */
export class RecordingContext implements OperatorContext {
  readonly captures = new Map<number, string>();
  readonly vars: Map<string, string>;

  constructor(
    readonly capturing = false,
    vars: Record<string, string> = {},
  ) {
    this.vars = new Map(Object.entries(vars).map(([k, v]) => [k.toLowerCase(), v]));
  }

  capture(index: number, value: string): void {
    this.captures.set(index, value);
  }

  expand(text: string): string {
    return text.replace(/%\{([^}]+)\}/g, (_, name: string) => this.vars.get(name.toLowerCase()) ?? '');
  }
}

/** Creates a registered operator; `files` backs readFile (missing names throw like a missing file). */
export function makeOperator(name: string, param: string, files: Record<string, string> = {}): Operator {
  const def = getOperator(name);
  if (def === undefined) throw new Error(`operator ${name} is not registered`);
  return def.create(param, {
    readFile(file) {
      const text = files[file];
      if (text === undefined) throw new Error(`ENOENT: no such file ${file}`);
      return text;
    },
  });
}

/** Creates the operator and evaluates one value without captures. */
export function evaluate(name: string, param: string, value: string, vars: Record<string, string> = {}): boolean {
  return makeOperator(name, param).evaluate(new RecordingContext(false, vars), value);
}

/**
 * The shared corpora directory (../shared/corpora next to the repository), found by walking up from
 * this file to the package.json; null when absent.
 */
export function sharedCorpus(...parts: string[]): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
  const path = join(dir, '..', 'shared', 'corpora', ...parts);
  return existsSync(path) ? path : null;
}
