// Where things are: the repository root (tests run from dist/, so it is found by walking up to
// package.json), the CRS corpus next to it, and the shipped overrides file in the source tree.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest directory at or above `from` holding a package.json (else the working directory). */
export function repoRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

export const DEFAULT_CRS = join(repoRoot(), '..', 'shared', 'corpora', 'crs');
export const FTW_SOURCE_DIR = join(repoRoot(), 'src', 'waf', 'ftw');
export const SHIELDX_OVERRIDES = join(FTW_SOURCE_DIR, 'shieldx-overrides.yaml');
export const EXPECTED_PASS = join(FTW_SOURCE_DIR, 'expected-pass.txt');
