// Summaries of a suite run: pass counts per rule family (the first three digits of rule_id: 920,
// 942, 951, ...), the most frequent failure causes per family, and the list of passing test ids.

import type { TestResult } from './runner.js';

export function family(ruleId: number): string {
  return String(ruleId).slice(0, 3);
}

export interface FamilyCount {
  family: string;
  passed: number;
  failed: number;
}

export function countByFamily(results: TestResult[]): FamilyCount[] {
  const m = new Map<string, FamilyCount>();
  for (const r of results) {
    const f = family(r.test.ruleId);
    let c = m.get(f);
    if (!c) m.set(f, (c = { family: f, passed: 0, failed: 0 }));
    if (r.pass) c.passed++;
    else c.failed++;
  }
  return [...m.values()].sort((a, b) => a.family.localeCompare(b.family));
}

/** A failure message with the test-specific parts (numbers in quotes, values) folded together. */
function cause(msg: string): string {
  return msg
    .replace(/^expected rule (\d+) not logged/, 'expected $1 not logged')
    .replace(/: ModSecurity: .*$/, '')
    .replace(/"[^"]*"/g, '"…"');
}

export function topCauses(results: TestResult[], limit = 5): Map<string, [string, number][]> {
  const byFamily = new Map<string, Map<string, number>>();
  for (const r of results) {
    if (r.pass) continue;
    const f = family(r.test.ruleId);
    let m = byFamily.get(f);
    if (!m) byFamily.set(f, (m = new Map()));
    const seen = new Set<string>();
    for (const s of r.stages) for (const msg of s.failures) seen.add(cause(msg));
    for (const c of seen) m.set(c, (m.get(c) ?? 0) + 1);
  }
  const out = new Map<string, [string, number][]>();
  for (const [f, m] of [...byFamily].sort((a, b) => a[0].localeCompare(b[0]))) {
    out.set(f, [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit));
  }
  return out;
}

export function passingIds(results: TestResult[]): string[] {
  return results
    .filter((r) => r.pass)
    .map((r) => r.test)
    .sort((a, b) => a.ruleId - b.ruleId || a.testId - b.testId)
    .map((t) => t.idString);
}

export function formatSummary(results: TestResult[], withCauses: boolean): string {
  const rows = countByFamily(results);
  const lines = ['family  passed  failed   total'];
  for (const c of rows) {
    lines.push(
      `${c.family.padEnd(6)} ${String(c.passed).padStart(7)} ${String(c.failed).padStart(7)} ${String(c.passed + c.failed).padStart(7)}`,
    );
  }
  if (withCauses) {
    const causes = topCauses(results);
    if (causes.size > 0) lines.push('', 'most frequent failure causes (tests affected):');
    for (const [f, list] of causes) {
      lines.push(`  ${f}:`);
      for (const [c, n] of list) lines.push(`    ${String(n).padStart(4)}  ${c}`);
    }
  }
  return lines.join('\n');
}

export function formatFailure(r: TestResult, withLog = false): string {
  const lines = [`FAIL ${r.test.idString} (${r.file})`];
  for (const s of r.stages) {
    if (s.pass) continue;
    const where = s.uri !== undefined ? `stage ${s.stage} ${s.uri}` : `stage ${s.stage}`;
    for (const f of s.failures) lines.push(`  ${where}: ${f}`);
    for (const n of s.notes) lines.push(`  ${where}: note: ${n}`);
    if (s.triggered.length > 0) lines.push(`  ${where}: logged ${s.triggered.join(', ')}`);
    if (withLog) {
      for (const l of s.logLines) {
        const from = l.indexOf('ModSecurity:');
        lines.push(
          `    | ${l.slice(from, from + 400).replace(/ \[(?:file|line|tag|ver|severity|hostname|uri|unique_id|maturity|accuracy|rev) "[^"]*"\]/g, '')}`,
        );
      }
    }
  }
  return lines.join('\n');
}
