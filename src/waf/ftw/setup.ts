// The engine the CRS regression tests run against: the CRS rules with crs-setup.conf.example and the
// configuration CRS uses for its own test runs (tests/docker-compose.yml + the regression README):
// SecRuleEngine DetectionOnly, request and response body access (text/plain text/html text/xml
// application/json), the ModSecurity recommended body-error rules 200002-200004, and SecAction 900005
// with blocking paranoia level 4 (detection follows it), UTF-8 validation on, and the test limits
// arg_name_length=100, arg_length=400, total_arg_length=64000, max_num_args=255, max_file_size=64100,
// combined_file_sizes=65535.
//
// While the engine is being completed, a rule it cannot compile (an operator not registered yet, an
// action it refuses) is taken out and reported instead of failing the whole run, so the suite still
// says which rules work.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKnownVariable } from '../engine/variables.js';
import { type EngineMode, type EngineOptions, type Rule, type RuleSet, WafCompileError, WafEngine } from '../index.js';
import { getOperator } from '../operators/registry.js';
import { loadRuleSet } from '../seclang/index.js';

export interface DisabledRule {
  id: number;
  file: string;
  line: number;
  reason: string;
}

export interface CrsEngine {
  engine: WafEngine;
  ruleSet: RuleSet;
  /** Rules taken out because the engine cannot run them (empty once the engine is complete). */
  disabled: DisabledRule[];
  /** Variable names the rules use that the engine does not know (they select nothing). */
  unknownVariables: Map<string, number>;
  /** False while src/waf/operators/index.ts is missing. */
  operatorTable: boolean;
}

export function preConf(mode: EngineMode): string {
  return `SecRuleEngine ${mode}
SecRequestBodyAccess On
SecRequestBodyLimit 13107200
SecRequestBodyNoFilesLimit 131072
SecRequestBodyLimitAction Reject
SecResponseBodyAccess On
SecResponseBodyMimeType text/plain text/html text/xml application/json
SecResponseBodyLimit 1048576
SecResponseBodyLimitAction ProcessPartial
SecArgumentsLimit 1000
SecRule REQBODY_ERROR "!@eq 0" "id:200002,phase:2,t:none,log,deny,status:400,msg:'Failed to parse request body.',logdata:'%{reqbody_error_msg}',severity:2"
SecRule MULTIPART_STRICT_ERROR "!@eq 0" "id:200003,phase:2,t:none,log,deny,status:400,msg:'Multipart request body failed strict validation.'"
SecRule MULTIPART_UNMATCHED_BOUNDARY "@eq 1" "id:200004,phase:2,t:none,log,deny,msg:'Multipart parser detected a possible unmatched boundary.'"
`;
}

export const TEST_SETUP = `SecAction "id:900005,phase:1,pass,nolog,t:none,\\
  setvar:tx.blocking_paranoia_level=4,\\
  setvar:tx.crs_validate_utf8_encoding=1,\\
  setvar:tx.arg_name_length=100,\\
  setvar:tx.arg_length=400,\\
  setvar:tx.total_arg_length=64000,\\
  setvar:tx.max_num_args=255,\\
  setvar:tx.max_file_size=64100,\\
  setvar:tx.combined_file_sizes=65535"
`;

let operatorsTried: Promise<boolean> | undefined;

/** Imports the operator table (operators/index.ts registers every operator) once, if it exists. */
export function loadOperatorTable(): Promise<boolean> {
  operatorsTried ??= (async () => {
    try {
      // A variable specifier keeps tsc from requiring the module while it is being written.
      const path = '../operators/index.js';
      await import(path);
      return true;
    } catch (e) {
      // Only the table itself being absent is expected; a broken import inside it is an error.
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ERR_MODULE_NOT_FOUND' && /operators[\\/]index\.js/.test(err.message)) return false;
      throw e;
    }
  })();
  return operatorsTried;
}

function links(r: Rule): Rule[] {
  const out: Rule[] = [];
  for (let l: Rule | undefined = r; l; l = l.chain) out.push(l);
  return out;
}

function withoutRules(rs: RuleSet, drop: Set<Rule>): RuleSet {
  const byId = new Map(rs.byId);
  for (const [id, r] of rs.byId) if (drop.has(r)) byId.delete(id);
  return { ...rs, phases: rs.phases.map((p) => (p ? p.filter((r) => !drop.has(r)) : p)), byId };
}

/**
 * Compiles `rs`, taking out (and reporting) each rule the engine refuses: first every rule with an
 * operator missing from the registry, then, one compile error at a time, the rule at its file:line.
 */
export function compileTolerant(
  rs: RuleSet,
  opts: EngineOptions = {},
): { engine: WafEngine; ruleSet: RuleSet; disabled: DisabledRule[] } {
  const disabled: DisabledRule[] = [];
  const drop = new Set<Rule>();
  for (const phase of rs.phases) {
    for (const r of phase ?? []) {
      const missing = links(r).find((l) => l.operator && getOperator(l.operator.name) === undefined);
      if (missing?.operator) {
        drop.add(r);
        disabled.push({
          id: r.actions.id ?? 0,
          file: r.loc.file,
          line: r.loc.line,
          reason: `operator @${missing.operator.name} not registered`,
        });
      }
    }
  }
  let current = drop.size > 0 ? withoutRules(rs, drop) : rs;
  for (let attempt = 0; ; attempt++) {
    try {
      return { engine: new WafEngine(current, opts), ruleSet: current, disabled };
    } catch (e) {
      if (!(e instanceof WafCompileError) || attempt >= 500) throw e;
      const culprit = current.phases
        .flatMap((p) => p ?? [])
        .find((r) => links(r).some((l) => l.loc.file === e.file && l.loc.line === e.line));
      if (!culprit) throw e;
      disabled.push({
        id: culprit.actions.id ?? 0,
        file: culprit.loc.file,
        line: culprit.loc.line,
        reason: e.message.replace(/^[^:]*:\d+: /, ''),
      });
      current = withoutRules(current, new Set([culprit]));
    }
  }
}

export interface CrsSetupOptions {
  crsDir: string;
  /** DetectionOnly, as CRS runs its tests; On to see blocking decisions. */
  mode?: EngineMode;
  /** More configuration after the test setup (e.g. a rule exclusion being tried out). */
  extraConf?: string;
}

export async function buildCrsEngine(o: CrsSetupOptions): Promise<CrsEngine> {
  const operatorTable = await loadOperatorTable();
  const dir = mkdtempSync(join(tmpdir(), 'shieldx-ftw-'));
  let rs: RuleSet;
  try {
    const pre = join(dir, 'crs-test-engine.conf');
    const post = join(dir, 'crs-test-setup.conf');
    writeFileSync(pre, preConf(o.mode ?? 'DetectionOnly'));
    writeFileSync(post, TEST_SETUP + (o.extraConf ?? ''));
    rs = loadRuleSet({
      files: [pre, join(o.crsDir, 'crs-setup.conf.example'), post, join(o.crsDir, 'rules', '*.conf')],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const unknownVariables = new Map<string, number>();
  for (const phase of rs.phases) {
    for (const r of phase ?? []) {
      for (const l of links(r)) {
        for (const v of l.variables) {
          if (!isKnownVariable(v.name)) unknownVariables.set(v.name, (unknownVariables.get(v.name) ?? 0) + 1);
        }
      }
    }
  }
  const { engine, ruleSet, disabled } = compileTolerant(rs);
  return { engine, ruleSet, disabled, unknownVariables, operatorTable };
}
