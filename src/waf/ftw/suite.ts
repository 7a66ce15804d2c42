// One call that runs a go-ftw test directory against CRS: load the tests, apply the overrides, build
// the CRS test engine, run. Shared by the CLI (main.ts) and the regression test (ftw.test.ts).

import { type FtwLoadError, loadFtwSuite } from './load.js';
import { applyOverrides, loadOverrides, type OverrideFile } from './overrides.js';
import { FtwRunner, type TestResult } from './runner.js';
import { buildCrsEngine, type CrsEngine } from './setup.js';

export interface SuiteOptions {
  testsDir: string;
  crsDir: string;
  overrides?: string;
  include?: RegExp;
  exclude?: RegExp;
  /** Run only these test ids (`942100-3`). */
  only?: Set<string>;
}

export interface SuiteRun {
  results: TestResult[];
  loadErrors: FtwLoadError[];
  crs: CrsEngine;
  overrides?: OverrideFile;
}

export async function runSuite(o: SuiteOptions): Promise<SuiteRun> {
  const { files, errors } = loadFtwSuite(o.testsDir);
  const overrides = o.overrides ? loadOverrides(o.overrides) : undefined;
  const applied = overrides ? applyOverrides(files, overrides) : new Map<string, string[]>();
  const crs = await buildCrsEngine({ crsDir: o.crsDir });
  const runner = new FtwRunner(crs.engine, crs.ruleSet, { disabled: crs.disabled });
  const results: TestResult[] = [];
  for (const f of files) {
    for (const t of f.tests) {
      if (o.only && !o.only.has(t.idString)) continue;
      // As in go-ftw, an explicit inclusion wins over an exclusion.
      if (o.include && !o.include.test(t.idString)) continue;
      if (!o.include && o.exclude?.test(t.idString)) continue;
      const r = runner.runTest(t, f.path);
      const why = applied.get(t.idString);
      if (why) r.overridden = why;
      results.push(r);
    }
  }
  return { results, loadErrors: errors, crs, overrides };
}
