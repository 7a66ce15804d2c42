// Platform overrides in go-ftw's format (ftw-tests-schema "waf-platform-overrides"):
//   version, meta: {engine, platform, annotations}, test_overrides: [{rule_id, test_ids, stage_ids,
//   reason, output}]
// An entry's `output` replaces the whole expected output of the stages it names (absent = nothing
// expected). test_ids / stage_ids (0-based) left out mean every test of the rule / every stage.
// Every entry must give a reason: overrides document deviations, they are not a way to hide failures.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseOutput } from './load.js';
import type { FtwFile, FtwOutput } from './types.js';

export interface TestOverride {
  ruleId: number;
  testIds: number[];
  stageIds: number[];
  reason: string;
  output: FtwOutput;
}

export interface OverrideFile {
  path: string;
  engine?: string;
  platform?: string;
  overrides: TestOverride[];
}

export class OverrideError extends Error {
  override name = 'OverrideError';
}

function ids(v: unknown, what: string): number[] {
  if (v === undefined || v === '' || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => {
    if (typeof x !== 'string' || !/^\d+$/.test(x))
      throw new OverrideError(`${what}: not a non-negative integer: ${JSON.stringify(x)}`);
    return Number(x);
  });
}

export function parseOverrides(text: string, path: string): OverrideFile {
  let doc: unknown;
  try {
    doc = parse(text, { schema: 'failsafe' });
  } catch (e) {
    throw new OverrideError(`${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === undefined || doc === null || doc === '') return { path, overrides: [] };
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new OverrideError(`${path}: expected a map`);
  const d = doc as Record<string, unknown>;
  const meta = (typeof d.meta === 'object' && d.meta !== null ? d.meta : {}) as Record<string, unknown>;
  const list = d.test_overrides === undefined || d.test_overrides === '' ? [] : d.test_overrides;
  if (!Array.isArray(list)) throw new OverrideError(`${path}: test_overrides: expected a list`);
  const overrides = list.map((o, i): TestOverride => {
    const what = `${path}: test_overrides[${i}]`;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new OverrideError(`${what}: expected a map`);
    const e = o as Record<string, unknown>;
    const rule = ids(e.rule_id, `${what}.rule_id`);
    if (rule.length !== 1) throw new OverrideError(`${what}: rule_id is required`);
    const reason = typeof e.reason === 'string' ? e.reason.trim() : '';
    if (reason === '') throw new OverrideError(`${what}: reason is required`);
    let output: FtwOutput;
    try {
      output = parseOutput(e.output, 'output');
    } catch (err) {
      throw new OverrideError(`${what}.${(err as Error).message}`);
    }
    return {
      ruleId: rule[0] as number,
      testIds: ids(e.test_ids, `${what}.test_ids`),
      stageIds: ids(e.stage_ids, `${what}.stage_ids`),
      reason,
      output,
    };
  });
  return {
    path,
    engine: typeof meta.engine === 'string' ? meta.engine : undefined,
    platform: typeof meta.platform === 'string' ? meta.platform : undefined,
    overrides,
  };
}

export function loadOverrides(path: string): OverrideFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new OverrideError(`${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseOverrides(text, path);
}

/**
 * Applies the overrides to the loaded tests in place (later entries win) and returns, per test id
 * string, the reasons that changed it.
 */
export function applyOverrides(files: FtwFile[], o: OverrideFile): Map<string, string[]> {
  const applied = new Map<string, string[]>();
  for (const f of files) {
    for (const t of f.tests) {
      for (const ov of o.overrides) {
        if (ov.ruleId !== t.ruleId) continue;
        if (ov.testIds.length > 0 && !ov.testIds.includes(t.testId)) continue;
        t.stages.forEach((s, i) => {
          if (ov.stageIds.length > 0 && !ov.stageIds.includes(i)) return;
          s.output = structuredClone(ov.output);
        });
        applied.set(t.idString, [...(applied.get(t.idString) ?? []), ov.reason]);
      }
    }
  }
  return applied;
}
