// CLI: node dist/src/rego/conformance/main.js [DIR] [--list-passing FILE] [--verbose] [--filter TEXT]
// Prints pass counts per top-level directory, then `N passed, N failed` as the last line.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { passingKeys, runSuite } from './runner.js';

/** The repository root (this file is src/rego/conformance/ or dist/src/rego/conformance/). */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (path.basename(dir) === 'src')
      return path.basename(path.dirname(dir)) === 'dist' ? path.dirname(path.dirname(dir)) : path.dirname(dir);
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export function defaultSuiteDir(): string {
  return path.resolve(repoRoot(), '..', 'shared', 'corpora', 'opa-conformance', 'v1');
}

function main(argv: string[]): number {
  let dir: string | undefined;
  let listFile: string | undefined;
  let verbose = false;
  let filter: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--list-passing') listFile = argv[++i];
    else if (a === '--verbose' || a === '-v') verbose = true;
    else if (a === '--filter') filter = argv[++i];
    else dir = a;
  }
  const root = path.resolve(dir ?? defaultSuiteDir());
  const results = runSuite(root, filter ? (note) => note.includes(filter as string) : undefined);
  const byDir = new Map<string, { pass: number; fail: number }>();
  for (const r of results) {
    const d = byDir.get(r.dir) ?? { pass: 0, fail: 0 };
    if (r.pass) d.pass++;
    else d.fail++;
    byDir.set(r.dir, d);
    if (verbose && !r.pass) console.log(`FAIL ${r.file} :: ${r.note}\n    ${r.reason ?? ''}`);
  }
  for (const [d, c] of [...byDir].sort(([a], [b]) => (a < b ? -1 : 1))) {
    console.log(`${d.padEnd(40)} ${c.pass}/${c.pass + c.fail}`);
  }
  if (listFile) writeFileSync(listFile, `${passingKeys(results).join('\n')}\n`);
  const passed = results.filter((r) => r.pass).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
