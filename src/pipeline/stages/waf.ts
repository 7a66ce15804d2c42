// waf: runs a SecLang rule set (OWASP CRS or the operator's own rules) over each request — phase 1
// on the request line and headers, phase 2 on the buffered body — and puts the outcome into
// signals.waf for later stages and the Rego policy. In block mode a WAF interruption ends the request
// with 403; in detect mode the stage never blocks.
//
// The rule set is loaded once per config generation: routes with identical rule settings share one
// WafEngine. The route's settings reach the rules as generated SecLang: CRS's paranoia level and
// thresholds as a SecAction placed before the first CRS rule file, exclusions as
// SecRuleRemoveById / ByTag / SecRuleUpdateTargetById after the last file. A rule set that does not
// load or compile is a StageConfigError naming file:line, so a reload with it is rejected.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RouteConfig, RouteWafConfig } from '../../config/schema.js';
import { routeWafSchema } from '../../config/schema.js';
import { type Interruption, type MatchedRule, WafCompileError, WafEngine, type WafRequest } from '../../waf/index.js';
// The operator table (src/waf/index.ts registers the transformations only).
import '../../waf/operators/index.js';
import { SecLangError, loadRuleSet } from '../../waf/seclang/index.js';
import { expandInclude, hasWildcard } from '../../waf/seclang/include.js';
import type { BodyNeed, RequestContext, Stage, StageDeps, StageFactory, StageResult } from '../stage.js';
import { StageConfigError } from '../stage.js';

/** Where distribution packages install OWASP CRS: the default rule set when present. */
export const DEFAULT_CRS_DIR = '/usr/share/modsecurity-crs';
/** Name the generated settings text goes by in load errors. */
export const SETTINGS_SOURCE = '<shieldx waf settings>';
/** Rule ids of the generated SecActions (outside CRS's 900000-999999 and the local-use range below 100000). */
const SETTINGS_ID_BASE = 4_900_000;

/** signals.waf: what the Rego input document and later stages see. */
export interface WafSignal {
  anomaly_score: number;
  matched_rules: { id: number; msg: string; tags: string[] }[];
  /** Whether the rules asked to block (also in detect mode, where nothing is blocked). */
  interrupted: boolean;
}

// ---- rule files -------------------------------------------------------------------------------

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A CRS installation: its setup file (if any) and rules/*.conf in order. */
function crsLayout(dir: string): { setup: string | undefined; rules: string[] } {
  const candidates = [path.join(dir, 'crs-setup.conf'), path.join(dir, 'crs-setup.conf.example')];
  // Debian/Ubuntu keep the setup file under /etc.
  if (path.resolve(dir) === DEFAULT_CRS_DIR) candidates.push('/etc/modsecurity/crs/crs-setup.conf');
  const setup = candidates.find((f) => existsSync(f));
  return { setup, rules: expandInclude(path.join(dir, 'rules', '*.conf'), '/') };
}

interface ResolvedRules {
  /** Files in load order (absolute). */
  files: string[];
  /** Index in `files` before which the settings SecActions go (the first CRS rule file). */
  settingsAt: number;
  /** A CRS directory without a setup file: the generated text supplies the minimum crs-setup does. */
  needsCrsSetup: boolean;
}

/** Expands the configured entries: files, globs, directories (CRS layout or *.conf). */
export function resolveRuleFiles(entries: readonly string[], baseDir: string): ResolvedRules {
  const files: string[] = [];
  let needsCrsSetup = false;
  entries.forEach((entry, i) => {
    const where = ['waf', 'rules', i];
    const abs = path.resolve(baseDir, entry);
    if (/["\r\n]/.test(abs)) throw new StageConfigError(`rule path ${JSON.stringify(entry)} has a quote or line break`, where);
    let found: string[];
    if (!hasWildcard(entry) && isDir(abs)) {
      if (isDir(path.join(abs, 'rules'))) {
        const crs = crsLayout(abs);
        if (crs.setup) files.push(crs.setup);
        else needsCrsSetup = true;
        found = crs.rules;
      } else found = expandInclude(path.join(abs, '*.conf'), '/');
    } else if (hasWildcard(entry)) found = expandInclude(abs, '/');
    else found = existsSync(abs) ? [abs] : [];
    if (found.length === 0) throw new StageConfigError(`no rule files found at ${entry} (${abs})`, where);
    files.push(...found);
  });
  const crsAt = files.findIndex((f) => /^REQUEST-\d/.test(path.basename(f)));
  return { files, settingsAt: Math.max(crsAt, 0), needsCrsSetup };
}

// ---- generated SecLang ------------------------------------------------------------------------

function quotePath(p: string): string {
  return `"${p.replace(/\\/g, '\\\\')}"`;
}

function regexLiteral(s: string): string {
  return `^${s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`;
}

/** The SecActions that carry the route's CRS settings (set before CRS's initialisation reads them). */
export function settingsDirectives(cfg: RouteWafConfig, needsCrsSetup: boolean): string[] {
  const pl = cfg.paranoia_level;
  const out: string[] = [];
  if (needsCrsSetup) {
    // What crs-setup.conf minimally provides: anomaly scoring defaults and the version marker
    // CRS checks for (it refuses to run unconfigured).
    out.push('SecDefaultAction "phase:1,log,auditlog,pass"', 'SecDefaultAction "phase:2,log,auditlog,pass"');
    out.push(`SecAction "id:${SETTINGS_ID_BASE + 9},phase:1,pass,nolog,t:none,setvar:tx.crs_setup_version=400"`);
  }
  // CRS 4 names first, then the CRS 3 equivalents (harmless extra TX variables for the other).
  out.push(
    `SecAction "id:${SETTINGS_ID_BASE + 1},phase:1,pass,nolog,t:none,` +
      `setvar:tx.blocking_paranoia_level=${pl},setvar:tx.detection_paranoia_level=${pl},` +
      `setvar:tx.paranoia_level=${pl},setvar:tx.executing_paranoia_level=${pl}"`,
    `SecAction "id:${SETTINGS_ID_BASE + 2},phase:1,pass,nolog,t:none,` +
      `setvar:tx.inbound_anomaly_score_threshold=${cfg.inbound_threshold},` +
      `setvar:tx.outbound_anomaly_score_threshold=${cfg.outbound_threshold}"`,
  );
  return out;
}

/** Exclusions, applied to the rules loaded before them. */
export function exclusionDirectives(cfg: RouteWafConfig): string[] {
  const ex = cfg.exclusions;
  const out: string[] = [];
  if (ex.rule_ids.length > 0) out.push(`SecRuleRemoveById ${ex.rule_ids.join(' ')}`);
  for (const tag of ex.tags) out.push(`SecRuleRemoveByTag "${regexLiteral(tag)}"`);
  for (const t of ex.targets) out.push(`SecRuleUpdateTargetById ${t.rule_id} "!${t.target}"`);
  return out;
}

/** The whole configuration text handed to loadRuleSet: settings, Includes, exclusions. */
export function ruleSetText(cfg: RouteWafConfig, resolved: ResolvedRules): string {
  const lines = ['# generated by ShieldX from the route\'s "waf" settings'];
  resolved.files.forEach((f, i) => {
    if (i === resolved.settingsAt) lines.push(...settingsDirectives(cfg, resolved.needsCrsSetup));
    lines.push(`Include ${quotePath(f)}`);
  });
  lines.push(...exclusionDirectives(cfg));
  return `${lines.join('\n')}\n`;
}

// ---- engine sharing ---------------------------------------------------------------------------

/** One map per config generation (StageDeps is made once per generation build). */
const enginesByGeneration = new WeakMap<StageDeps, Map<string, WafEngine>>();

function engineFor(text: string, deps: StageDeps, baseDir: string): WafEngine {
  let engines = enginesByGeneration.get(deps);
  if (engines === undefined) enginesByGeneration.set(deps, (engines = new Map()));
  const cached = engines.get(text);
  if (cached) return cached;
  let engine: WafEngine;
  try {
    const ruleSet = loadRuleSet({ text, file: SETTINGS_SOURCE }, { baseDir });
    // An internal rule failure counts as no match; say so once per rule, not once per request.
    const reported = new Set<number>();
    engine = new WafEngine(ruleSet, {
      onError(err, ruleId) {
        if (reported.has(ruleId) || reported.size > 1000) return;
        reported.add(ruleId);
        deps.log.warn({ err, rule_id: ruleId }, 'WAF rule failed while evaluating (treated as no match)');
      },
    });
  } catch (e) {
    if (e instanceof SecLangError) {
      const inSettings = e.file === SETTINGS_SOURCE;
      const detail = e.issues.length > 1 ? `\n${e.describe()}` : '';
      throw new StageConfigError(
        `WAF rules do not load: ${e.message}${detail}`,
        inSettings ? ['waf', 'exclusions'] : ['waf', 'rules'],
      );
    }
    if (e instanceof WafCompileError) throw new StageConfigError(`WAF rules do not compile: ${e.message}`, ['waf', 'rules']);
    throw e;
  }
  engines.set(text, engine);
  return engine;
}

// ---- the stage --------------------------------------------------------------------------------

function num(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** CRS 4 keeps the blocking total in blocking_inbound_anomaly_score, CRS 3 (and most own rule sets) in anomaly_score. */
function anomalyScore(tx: { tx(name: string): string | undefined }): number {
  return num(tx.tx('blocking_inbound_anomaly_score')) ?? num(tx.tx('anomaly_score')) ?? num(tx.tx('inbound_anomaly_score')) ?? 0;
}

/** The request as the WAF reads it: byte strings (Node decodes header bytes as latin1 already). */
export function wafRequest(ctx: RequestContext, withBody: boolean): WafRequest {
  const r = ctx.request;
  const headers: [string, string][] = [];
  for (const k in r.headers) {
    const v = r.headers[k];
    if (v === undefined || k.charCodeAt(0) === 58 /* ':' pseudo-headers */) continue;
    if (Array.isArray(v)) for (const one of v) headers.push([k, one]);
    else headers.push([k, v]);
  }
  return {
    method: r.method,
    uri: r.query === '' ? r.path : `${r.path}?${r.query}`,
    protocol: r.protocol === 'HTTP/2' ? 'HTTP/2.0' : r.protocol === 'HTTP/3' ? 'HTTP/3.0' : r.protocol,
    headers,
    body: withBody ? ctx.body : undefined,
    remoteAddr: r.client_ip,
    id: ctx.id,
  };
}

function summary(m: MatchedRule): { id: number; msg: string; data: string; variable: string; file: string; line: number } {
  return { id: m.id, msg: m.msg, data: m.data, variable: m.matchedVarName, file: m.file, line: m.line };
}

class WafStage implements Stage {
  readonly name = 'waf';
  readonly needsBody: BodyNeed | undefined;
  private readonly block: boolean;
  private readonly inspectBody: boolean;

  constructor(
    private readonly engine: WafEngine,
    private readonly cfg: RouteWafConfig,
  ) {
    this.block = cfg.mode === 'block';
    this.inspectBody = cfg.request_body === 'inspect';
    this.needsBody = this.inspectBody
      ? {
          maxBytes: cfg.request_body_limit,
          onLimit: engine.settings.requestBodyLimitAction === 'ProcessPartial' ? 'partial' : 'reject',
        }
      : undefined;
  }

  run(ctx: RequestContext): StageResult {
    const tx = this.engine.newTransaction();
    // The route decides enforcement, whatever SecRuleEngine the rule files set.
    tx.mode = this.block ? 'On' : 'DetectionOnly';
    tx.requestBodyAccess = this.inspectBody;
    tx.requestBodyLimit = this.cfg.request_body_limit;
    let it: Interruption | undefined = tx.processRequestHeaders(wafRequest(ctx, this.inspectBody));
    if (it === undefined) it = tx.processRequestBody();
    const blocking = it !== undefined && it.action !== 'allow';
    const interrupted = this.block ? blocking : tx.detectedInterruption !== undefined;
    const matched = tx.matchedRules;
    const signal: WafSignal = {
      anomaly_score: anomalyScore(tx),
      matched_rules: matched.map((m) => ({ id: m.id, msg: m.msg, tags: m.tags })),
      interrupted,
    };
    ctx.signals.waf = signal;
    if (matched.length > 0 || interrupted) {
      ctx.log.info(
        {
          waf: {
            mode: this.cfg.mode,
            anomaly_score: signal.anomaly_score,
            interrupted_by: (it ?? tx.detectedInterruption)?.ruleId,
            matched_rules: matched.map(summary),
          },
        },
        interrupted && this.block ? 'request blocked by the WAF' : 'WAF rules matched',
      );
    }
    if (!this.block || !blocking) return undefined;
    const i = it as Interruption;
    // The engine's own body limits (e.g. SecRequestBodyNoFilesLimit) interrupt with 413 and no rule.
    if (i.ruleId === 0 && i.status === 413) {
      return {
        action: 'deny',
        status: 413,
        reason: 'request body exceeds the WAF inspection limit',
        body: { error: 'payload_too_large', reason: 'request body exceeds the WAF inspection limit' },
      };
    }
    // Which rules matched stays in the log: the client learns only that the WAF blocked it.
    return {
      action: 'deny',
      status: 403,
      reason: 'blocked by the WAF',
      body: { error: 'forbidden', reason: 'blocked by the WAF' },
    };
  }
}

export const wafStage: StageFactory = {
  name: 'waf',
  description: 'Runs a SecLang rule set (OWASP CRS) on the request and body; blocks or only signals (signals.waf)',
  create(route: RouteConfig, deps: StageDeps): Stage {
    const cfg = route.waf ?? routeWafSchema.parse({});
    const baseDir = deps.baseDir ?? process.cwd();
    const entries = cfg.rules ?? (isDir(DEFAULT_CRS_DIR) ? [DEFAULT_CRS_DIR] : []);
    if (entries.length === 0) {
      throw new StageConfigError(`the waf stage needs rule files: set waf.rules (no OWASP CRS found at ${DEFAULT_CRS_DIR})`, [
        'waf',
        'rules',
      ]);
    }
    const text = ruleSetText(cfg, resolveRuleFiles(entries, baseDir));
    return new WafStage(engineFor(text, deps, baseDir), cfg);
  },
};
