// Non-disruptive actions: setvar (per matched value), and the actions that run once a chain fully
// matched: ctl, initcol, expirevar, setenv, setsid/setuid/setrsc. ctl changes only this transaction.

import type { KeyedCollection } from './collection.js';
import type { CompiledSetvar, LateAction } from './compile.js';
import type { Template } from './macro.js';
import type { PersistentStore } from './persist.js';
import type { BodyProcessorName } from './request.js';
import type { TxState } from './state.js';
import type { KeyMatcher } from './variables.js';

export type Mode = 'On' | 'DetectionOnly' | 'Off';

/** A target removed by ctl:ruleRemoveTarget*: variable name and which keys. */
export interface TargetRemoval {
  name: string;
  match: KeyMatcher;
}

/** Per-transaction rule exclusions made by ctl. */
export class Removals {
  any = false;
  readonly ids = new Set<number>();
  readonly ranges: [number, number][] = [];
  readonly tags = new Set<string>();
  readonly msgs = new Set<string>();
  anyTargets = false;
  /** Bumped on every target removal, so per-rule answers can be cached. */
  targetVersion = 0;
  /** Variable names some target removal names (rules without them need no lookup); a short list. */
  readonly targetNames: string[] = [];
  readonly targetsById: { from: number; to: number; t: TargetRemoval }[] = [];
  readonly targetsByTag = new Map<string, TargetRemoval[]>();
  readonly targetsByMsg = new Map<string, TargetRemoval[]>();

  isRemoved(id: number, tags: readonly string[], msg: string | undefined): boolean {
    if (this.ids.has(id)) return true;
    const ranges = this.ranges;
    for (let i = 0; i < ranges.length; i++) {
      const r = ranges[i] as [number, number];
      if (id >= r[0] && id <= r[1]) return true;
    }
    if (this.tags.size > 0) for (let i = 0; i < tags.length; i++) if (this.tags.has(tags[i] as string)) return true;
    return msg !== undefined && this.msgs.size > 0 && this.msgs.has(msg);
  }

  /** Every target removal that applies to the rule (by id, tag or msg); empty when none. */
  targetsOf(id: number, tags: readonly string[], msg: string | undefined): TargetRemoval[] {
    const out: TargetRemoval[] = [];
    for (const r of this.targetsById) if (id >= r.from && id <= r.to) out.push(r.t);
    if (this.targetsByTag.size > 0) {
      for (const tag of tags) {
        const list = this.targetsByTag.get(tag);
        if (list !== undefined) out.push(...list);
      }
    }
    if (msg !== undefined && this.targetsByMsg.size > 0) out.push(...(this.targetsByMsg.get(msg) ?? []));
    return out;
  }
}

/** What actions may change on the transaction. */
export interface ActionHost {
  readonly state: TxState;
  readonly store: PersistentStore;
  readonly collectionTimeout: number;
  mode: Mode;
  requestBodyAccess: boolean;
  responseBodyAccess: boolean;
  requestBodyLimit: number | undefined;
  responseBodyLimit: number | undefined;
  forceRequestBodyVariable: boolean;
  readonly removals: Removals;
  /** ctl settings accepted without effect here (audit log), kept for the caller. */
  readonly auditSettings: Map<string, string>;
  expand(t: Template): string;
}

function collectionOf(h: ActionHost, name: string): KeyedCollection | undefined {
  if (name === 'TX') return h.state.tx;
  if (name === 'ENV') return h.state.env;
  return h.state.persisted(name);
}

function toInt(s: string | undefined): number {
  if (s === undefined) return 0;
  const n = Number.parseInt(s.trim(), 10);
  return Number.isFinite(n) ? n : 0;
}

export function runSetvar(h: ActionHost, sv: CompiledSetvar): void {
  const coll = collectionOf(h, sv.collection);
  if (coll === undefined) return; // collection not initialised (no initcol): ignored as in ModSecurity
  const key = h.expand(sv.key);
  if (key === '') return;
  switch (sv.op) {
    case 'delete':
      coll.delete(key);
      return;
    case '=':
      coll.set(key, h.expand(sv.value));
      return;
    case '+=':
      coll.set(key, String(toInt(coll.get(key)) + toInt(h.expand(sv.value))));
      return;
    case '-=':
      coll.set(key, String(toInt(coll.get(key)) - toInt(h.expand(sv.value))));
      return;
  }
}

export function runLate(h: ActionHost, a: LateAction): void {
  switch (a.kind) {
    case 'ctl':
      applyCtl(h, a.name, h.expand(a.value));
      return;
    case 'initcol': {
      const key = h.expand(a.key);
      h.state.persistent.set(a.collection, h.store.open(a.collection, key, h.collectionTimeout));
      return;
    }
    case 'expirevar': {
      const coll = collectionOf(h, a.collection);
      if (coll !== undefined && a.collection !== 'TX') h.store.expire(coll, h.expand(a.key), toInt(h.expand(a.seconds)));
      return;
    }
    case 'setenv':
      h.state.env.set(h.expand(a.key), h.expand(a.value));
      return;
    case 'setsid': {
      const id = h.expand(a.value);
      h.state.sessionId = id;
      h.state.persistent.set('SESSION', h.store.open('SESSION', id, h.collectionTimeout));
      return;
    }
    case 'setuid': {
      const id = h.expand(a.value);
      h.state.userId = id;
      h.state.persistent.set('USER', h.store.open('USER', id, h.collectionTimeout));
      return;
    }
    case 'setrsc':
      h.state.persistent.set('RESOURCE', h.store.open('RESOURCE', h.expand(a.value), h.collectionTimeout));
      return;
  }
}

/** `VAR`, `VAR:key`, `VAR:/regex/` → a target removal (undefined when unusable). */
export function parseTarget(text: string): TargetRemoval | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const colon = t.indexOf(':');
  const name = (colon < 0 ? t : t.slice(0, colon)).trim().toUpperCase();
  if (colon < 0) return { name, match: { all: true } };
  const key = t.slice(colon + 1).trim();
  if (key.length >= 2 && key.startsWith('/') && key.endsWith('/') && name !== 'XML') {
    try {
      return { name, match: { all: false, re: new RegExp(key.slice(1, -1), 'i') } };
    } catch {
      return undefined;
    }
  }
  // A quoted key (`ARGS:'a b'`) loses its quotes.
  const unq = key.length >= 2 && key.startsWith("'") && key.endsWith("'") ? key.slice(1, -1) : key;
  return { name, match: { all: false, lower: unq.toLowerCase() } };
}

/** `123`, `100-200`, `1 2 3`, `1,2` → id ranges. */
function parseIdRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const part of text.split(/[\s,]+/)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    out.push([Math.min(a, b), Math.max(a, b)]);
  }
  return out;
}

function onOff(v: string): boolean | undefined {
  const l = v.trim().toLowerCase();
  if (l === 'on' || l === 'true' || l === '1') return true;
  if (l === 'off' || l === 'false' || l === '0') return false;
  return undefined;
}

const PROCESSORS = new Set(['URLENCODED', 'MULTIPART', 'JSON', 'XML']);

export function applyCtl(h: ActionHost, name: string, value: string): void {
  const r = h.removals;
  switch (name) {
    case 'ruleengine': {
      const l = value.trim().toLowerCase();
      if (l === 'on') h.mode = 'On';
      else if (l === 'off') h.mode = 'Off';
      else if (l === 'detectiononly') h.mode = 'DetectionOnly';
      return;
    }
    case 'ruleremovebyid':
      for (const [a, b] of parseIdRanges(value)) {
        if (a === b) r.ids.add(a);
        else r.ranges.push([a, b]);
        r.any = true;
      }
      return;
    case 'ruleremovebytag':
      r.tags.add(value.trim());
      r.any = true;
      return;
    case 'ruleremovebymsg':
      r.msgs.add(value.trim());
      r.any = true;
      return;
    case 'ruleremovetargetbyid':
    case 'ruleremovetargetbytag':
    case 'ruleremovetargetbymsg': {
      const semi = value.indexOf(';');
      if (semi < 0) return;
      const sel = value.slice(0, semi).trim();
      for (const targetText of value.slice(semi + 1).split('|')) {
        const t = parseTarget(targetText);
        if (t === undefined) continue;
        if (name === 'ruleremovetargetbyid') {
          for (const [from, to] of parseIdRanges(sel)) r.targetsById.push({ from, to, t });
        } else {
          const map = name === 'ruleremovetargetbytag' ? r.targetsByTag : r.targetsByMsg;
          const list = map.get(sel);
          if (list) list.push(t);
          else map.set(sel, [t]);
        }
        r.anyTargets = true;
        r.targetVersion++;
        if (!r.targetNames.includes(t.name)) r.targetNames.push(t.name);
      }
      return;
    }
    case 'requestbodyprocessor': {
      const p = value.trim().toUpperCase();
      if (PROCESSORS.has(p)) h.state.bodyProcessor = p as BodyProcessorName;
      return;
    }
    case 'forcerequestbodyvariable': {
      const b = onOff(value);
      if (b !== undefined) h.forceRequestBodyVariable = b;
      return;
    }
    case 'requestbodyaccess': {
      const b = onOff(value);
      if (b !== undefined) h.requestBodyAccess = b;
      return;
    }
    case 'responsebodyaccess': {
      const b = onOff(value);
      if (b !== undefined) h.responseBodyAccess = b;
      return;
    }
    case 'requestbodylimit': {
      const n = toInt(value);
      if (n > 0) h.requestBodyLimit = n;
      return;
    }
    case 'responsebodylimit': {
      const n = toInt(value);
      if (n > 0) h.responseBodyLimit = n;
      return;
    }
    default:
      // auditEngine, auditLogParts, debugLogLevel, hashEngine, ...: accepted, recorded.
      h.auditSettings.set(name, value);
      return;
  }
}
