// Table-test helper shared by the *.test.ts files of this folder: looks the transformation up by its
// SecLang name (so registration is exercised too) and runs one subtest per case.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getTransformation } from './registry.js';

/** [description, input, expected output]; inputs and outputs are byte strings. */
export type Case = readonly [string, string, string];

export function tableTest(name: string, cases: readonly Case[]): void {
  test(`t:${name}`, async (t) => {
    const def = getTransformation(name);
    assert.ok(def, `t:${name} is registered`);
    for (const [what, input, want] of cases) {
      await t.test(what, () => {
        assert.equal(def.fn(input), want);
      });
    }
  });
}
