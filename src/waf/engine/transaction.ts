// One HTTP transaction through the five SecLang phases. Rules run in file order per phase; a chain
// matches when every link matches. setvar runs for every matched value of every link (ModSecurity
// v3); ctl/initcol/... run once the whole chain matched; msg/logdata are expanded when the chain head
// matches; the head's disruptive and flow actions apply after the full match. No exception escapes:
// an internal failure in one rule counts as "no match" and is reported through options.onError.

import type { EngineSettings } from '../rule.js';
import type { OperatorContext } from '../operators/registry.js';
import { type ActionHost, type Mode, Removals, runLate, runSetvar, type TargetRemoval } from './actions.js';
import { processBody } from './body.js';
import type { VarValue } from './collection.js';
import type { CompiledLink, CompiledRule } from './compile.js';
import type { EngineCore } from './core.js';
import { expandTemplate, type MacroResolver, type Template } from './macro.js';
import { loadResponseBody, populateRequest, populateResponse } from './populate.js';
import { TxState } from './state.js';
import { transformed, transformedStages } from './transform.js';
import type { Interruption, MatchedRule, WafRequest, WafResponse } from './types.js';
import { type CompiledSelector, type KeyMatcher, macroValue } from './variables.js';

const MAX_LOGDATA = 1024;

export class Transaction implements ActionHost {
  readonly state: TxState;
  mode: Mode;
  requestBodyAccess: boolean;
  responseBodyAccess: boolean;
  requestBodyLimit: number | undefined;
  responseBodyLimit: number | undefined;
  get forceRequestBodyVariable(): boolean {
    return this.state.forceRequestBody;
  }
  set forceRequestBodyVariable(on: boolean) {
    this.state.forceRequestBody = on;
  }
  // Created on first use: most transactions never see a ctl.
  private rem: Removals | undefined;
  private audit: Map<string, string> | undefined;
  /** Rule exclusions made by ctl in this transaction. */
  get removals(): Removals {
    this.rem ??= new Removals();
    return this.rem;
  }
  /** ctl settings accepted without effect here (auditEngine, auditLogParts, ...), by lower-case name. */
  get auditSettings(): Map<string, string> {
    this.audit ??= new Map();
    return this.audit;
  }
  /** Blocking decision (deny/drop/redirect) in SecRuleEngine On. */
  interruption: Interruption | undefined;
  /** Set by `allow` (all/request scope): the rules let the transaction through. */
  allowed: Interruption | undefined;
  /** The first blocking decision a rule would have made in DetectionOnly. */
  detectedInterruption: Interruption | undefined;
  /** Logged matches (rules without nolog), in match order. */
  readonly matchedRules: MatchedRule[] = [];
  /** Every full match, including nolog rules. */
  readonly allMatchedRules: MatchedRule[] = [];
  readonly errors: { ruleId: number; error: string }[] = [];

  private readonly core: EngineCore;
  private readonly settings: EngineSettings;
  private phaseRun = [false, false, false, false, false, false];
  private skipRequestPhases = false;
  private skipResponsePhases = false;
  private stopPhase = false;
  private readonly resolver: MacroResolver;
  private readonly opCtx: OperatorContext & { capturing: boolean };
  private earlyDone = false;
  private headMsg = '';
  private headData = '';
  private headVarName = '';
  private headVar = '';

  constructor(core: EngineCore) {
    this.core = core;
    this.settings = core.settings;
    this.mode = core.settings.ruleEngine ?? 'On';
    this.requestBodyAccess = core.settings.requestBodyAccess ?? false;
    this.responseBodyAccess = core.settings.responseBodyAccess ?? false;
    this.state = new TxState(core.now, core.options.env);
    const st = this.state;
    this.resolver = (name, key) => macroValue(st, name, key);
    const expandText = (text: string): string => this.expand(core.templates.get(text));
    this.opCtx = {
      capturing: false,
      capture(index: number, value: string): void {
        if (index >= 0 && index <= 9) st.tx.set(String(index), value);
      },
      expand: expandText,
    };
  }

  get store() {
    return this.core.store;
  }

  get collectionTimeout(): number {
    return this.settings.collectionTimeout > 0 ? this.settings.collectionTimeout : 3600;
  }

  expand(t: Template): string {
    return typeof t === 'string' ? t : expandTemplate(t, this.resolver);
  }

  /** A TX variable (case-insensitive name). */
  tx(name: string): string | undefined {
    return this.state.tx.get(name);
  }

  // ---- phases -------------------------------------------------------------------------------

  processRequestHeaders(req: WafRequest): Interruption | undefined {
    if (this.phaseRun[1]) return this.interruption;
    this.phaseRun[1] = true;
    try {
      populateRequest(this.state, req, this.settings, this.core.options.autoBodyProcessors !== false);
    } catch (e) {
      this.report(e, 0);
    }
    return this.runPhase(1);
  }

  processRequestBody(): Interruption | undefined {
    if (!this.phaseRun[1] || this.phaseRun[2]) return this.interruption;
    this.phaseRun[2] = true;
    if (this.interruption) return this.interruption;
    if (this.mode !== 'Off' && !this.skipRequestPhases) {
      try {
        const settings =
          this.requestBodyLimit === undefined ? this.settings : { ...this.settings, requestBodyLimit: this.requestBodyLimit };
        const out = processBody(this.state, settings, this.requestBodyAccess, this.core.maxValueLength, this.mode === 'On');
        if (out.reject) {
          this.interruption = { action: 'deny', status: 413, ruleId: 0 };
          return this.interruption;
        }
      } catch (e) {
        this.report(e, 0);
      }
    }
    return this.runPhase(2);
  }

  processResponseHeaders(res: WafResponse): Interruption | undefined {
    if (this.phaseRun[3]) return this.interruption;
    this.phaseRun[3] = true;
    try {
      populateResponse(this.state, res);
    } catch (e) {
      this.report(e, 0);
    }
    return this.runPhase(3);
  }

  processResponseBody(body?: Buffer): Interruption | undefined {
    if (!this.phaseRun[3] || this.phaseRun[4]) return this.interruption;
    this.phaseRun[4] = true;
    if (this.interruption) return this.interruption;
    if (this.responseBodyAccess && this.mode !== 'Off' && !this.skipResponsePhases) {
      try {
        const b = body ?? this.state.res?.body;
        if (loadResponseBody(this.state, b, this.settings, this.responseBodyLimit, this.mode === 'On')) {
          this.interruption = { action: 'deny', status: 500, ruleId: 0 };
          return this.interruption;
        }
      } catch (e) {
        this.report(e, 0);
      }
    }
    return this.runPhase(4);
  }

  processLogging(): void {
    if (this.phaseRun[5]) return;
    this.phaseRun[5] = true;
    this.runPhase(5);
  }

  // ---- rule loop ------------------------------------------------------------------------------

  /** Runs a phase's rules; the last line of defence against an exception escaping to the caller. */
  private runPhase(phase: number): Interruption | undefined {
    try {
      return this.runRules(phase);
    } catch (e) {
      this.report(e, 0);
      return this.interruption;
    }
  }

  private runRules(phase: number): Interruption | undefined {
    if (phase < 5) {
      if (this.interruption) return this.interruption;
      if ((phase <= 2 && this.skipRequestPhases) || (phase >= 3 && this.skipResponsePhases)) return undefined;
    }
    if (this.mode === 'Off') return undefined;
    const rules = this.core.compiled.phases[phase] ?? [];
    const n = rules.length;
    this.stopPhase = false;
    let i = 0;
    while (i < n) {
      const r = rules[i] as CompiledRule;
      if (r.kind === 'marker') {
        i++;
        continue;
      }
      if (this.isOff()) break; // ctl:ruleEngine=Off stops the rest
      const rem = this.rem;
      if (rem?.any && rem.isRemoved(r.id, r.tags, r.actions.msg)) {
        i++;
        continue;
      }
      let matched = false;
      this.state.rule = r.info;
      try {
        matched = this.evalRule(r);
      } catch (e) {
        this.report(e, r.id);
      }
      if (!matched) {
        i++;
        continue;
      }
      this.afterMatch(r, phase);
      if (this.stopPhase) break;
      if (r.skipAfterIndex !== -2) {
        i = r.skipAfterIndex === -1 ? n : r.skipAfterIndex;
        continue;
      }
      i++;
      if (r.skip > 0) {
        let k = r.skip;
        while (i < n && k > 0) {
          if ((rules[i] as CompiledRule).kind !== 'marker') k--;
          i++;
        }
      }
    }
    this.state.rule = undefined;
    return phase < 5 ? (this.interruption ?? this.allowedNow(phase)) : undefined;
  }

  private isOff(): boolean {
    return this.mode === 'Off';
  }

  private allowedAt = 0;
  private allowedNow(phase: number): Interruption | undefined {
    return this.allowed !== undefined && this.allowedAt === phase ? this.allowed : undefined;
  }

  private targetCache: Map<CompiledRule, { v: number; list: TargetRemoval[] }> | undefined;
  /** ctl:ruleRemoveTarget* entries for a rule, cached until the next such ctl. */
  private targetsOf(r: CompiledRule): TargetRemoval[] {
    const rm = this.removals;
    this.targetCache ??= new Map();
    const hit = this.targetCache.get(r);
    if (hit !== undefined && hit.v === rm.targetVersion) return hit.list;
    const list = rm.targetsOf(r.id, r.tags, r.actions.msg);
    this.targetCache.set(r, { v: rm.targetVersion, list });
    return list;
  }

  private evalRule(r: CompiledRule): boolean {
    this.state.resetMatchedVars();
    this.headMsg = '';
    this.headData = '';
    this.headVarName = '';
    this.headVar = '';
    return this.evalLink(r, r);
  }

  private evalLink(link: CompiledLink, head: CompiledRule): boolean {
    const st = this.state;
    this.earlyDone = false;
    if (link.unconditional) {
      for (const a of link.early) runLate(this, a);
      for (const sv of link.setvars) runSetvar(this, sv);
    } else {
      const out = this.core.valueList(link.depth);
      out.n = 0;
      const rm = this.rem;
      let targets: TargetRemoval[] | undefined;
      if (rm?.anyTargets) {
        const names = link.names;
        const removed = rm.targetNames;
        for (let k = 0; k < names.length && targets === undefined; k++) {
          for (let j = 0; j < removed.length; j++) {
            if (names[k] === removed[j]) {
              targets = this.targetsOf(head);
              break;
            }
          }
        }
      }
      const selectors = link.selectors;
      for (let k = 0; k < selectors.length; k++) {
        const sel = selectors[k] as CompiledSelector;
        let dyn: KeyMatcher[] | undefined;
        if (targets !== undefined && targets.length > 0) {
          for (const t of targets) if (t.name === sel.name) (dyn ??= []).push(t.match);
        }
        sel.collect(st, out, dyn);
      }
      const op = link.operator;
      if (op === undefined) return false;
      const ctx = this.opCtx;
      const max = this.core.maxValueLength;
      let any = false;
      const items = out.items;
      const count = out.n;
      for (let k = 0; k < count; k++) {
        const v = items[k] as VarValue;
        if (link.multiMatch) {
          for (const s of transformedStages(v, link.tnode, max)) {
            ctx.capturing = link.capture;
            if (op.evaluate(ctx, s) !== link.negated) {
              any = true;
              this.onMatch(link, head, v, s);
            }
          }
        } else {
          const s = transformed(v, link.tnode, max);
          ctx.capturing = link.capture;
          if (op.evaluate(ctx, s) !== link.negated) {
            any = true;
            this.onMatch(link, head, v, s);
          }
        }
      }
      ctx.capturing = false;
      if (!any) return false;
    }
    if (link === head && (head.msg !== undefined || head.logdata !== undefined)) {
      if (head.msg !== undefined) this.headMsg = this.expand(head.msg);
      if (head.logdata !== undefined) {
        const d = this.expand(head.logdata);
        this.headData = d.length > MAX_LOGDATA ? d.slice(0, MAX_LOGDATA) : d;
      }
    }
    if (link.chain !== undefined && !this.evalLink(link.chain, head)) return false;
    for (const a of link.late) runLate(this, a);
    return true;
  }

  private onMatch(link: CompiledLink, head: CompiledRule, v: VarValue, s: string): void {
    const name = v.fullName;
    this.state.noteMatch(name, s);
    if (link === head) {
      this.headVarName = name;
      this.headVar = s;
    }
    if (!this.earlyDone) {
      this.earlyDone = true;
      for (const a of link.early) runLate(this, a);
    }
    for (const sv of link.setvars) runSetvar(this, sv);
  }

  private afterMatch(r: CompiledRule, phase: number): void {
    const st = this.state;
    if (r.severity !== undefined && r.severity < st.highestSeverity) st.highestSeverity = r.severity;
    const m: MatchedRule = {
      id: r.id,
      phase,
      msg: this.headMsg,
      data: this.headData,
      tags: r.tags,
      severity: r.severity,
      matchedVarName: this.headVarName,
      matchedVar: this.headVar,
      disruptive: r.writtenDisruptive,
      log: r.log,
      file: r.rule.loc?.file ?? '',
      line: r.rule.loc?.line ?? 0,
    };
    this.allMatchedRules.push(m);
    if (r.log) this.matchedRules.push(m);

    const d = r.disruptive;
    if (d === undefined || d === 'pass') return;
    if (d === 'allow') {
      if (this.mode !== 'On') return;
      this.stopPhase = true;
      if (r.allowScope === 'phase') return;
      if (phase <= 2) this.skipRequestPhases = true;
      if (r.allowScope === 'all') this.skipResponsePhases = true;
      this.allowed ??= { action: 'allow', status: 200, ruleId: r.id };
      this.allowedAt = phase;
      return;
    }
    if (phase === 5) return; // nothing left to disrupt
    const status =
      d === 'redirect'
        ? r.status !== undefined && [301, 302, 303, 307, 308].includes(r.status)
          ? r.status
          : 302
        : (r.status ?? 403);
    const it: Interruption = { action: d, status, ruleId: r.id };
    if (d === 'redirect' && r.redirect !== undefined) it.url = this.expand(r.redirect);
    if (this.mode === 'On') {
      this.interruption = it;
      this.stopPhase = true;
    } else {
      this.detectedInterruption ??= it;
    }
  }

  private report(e: unknown, ruleId: number): void {
    const msg = e instanceof Error ? e.message : String(e);
    if (this.errors.length < 100) this.errors.push({ ruleId, error: msg });
    try {
      this.core.options.onError?.(e, ruleId);
    } catch {
      // a failing error hook must not break the transaction
    }
  }
}
