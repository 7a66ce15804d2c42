// The ACTIONS part of SecRule/SecAction/SecDefaultAction:
//   "id:1,phase:2,t:none,t:lowercase,setvar:'tx.x=+%{tx.y}',msg:'a,b',ctl:ruleRemoveTargetById=942100;ARGS:pwd,chain"
// Actions are separated by commas; each is `name` or `name:value`. A value that starts with `'`
// runs to the next unescaped `'` (`\'` is a quote, `\\` a backslash, other backslashes are kept),
// so it may hold commas; any other value runs to the next comma and is trimmed. Blanks around
// names, colons and commas are ignored. Action names are matched case-insensitively.
// parseActions gives only what the text says; inheritance from SecDefaultAction is in inherit.ts.

import type { RuleActions, SetvarOp } from '../rule.js';
import { ArgSyntaxError } from './errors.js';
import { canonicalCtl, canonicalTransformation } from './names.js';

export interface ActionToken {
  name: string;
  value?: string;
  /** Offset of the name in the source text (for error lines). */
  offset: number;
}

const QUOTED_SPECIAL = /['\\]/g;
const isNameChar = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;

export function tokenizeActions(text: string): ActionToken[] {
  const n = text.length;
  const out: ActionToken[] = [];
  let i = 0;
  const skip = () => {
    let c = text.charCodeAt(i);
    while (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) c = text.charCodeAt(++i);
  };
  for (;;) {
    skip();
    if (i >= n) break;
    if (text[i] === ',') {
      i++;
      continue;
    }
    const offset = i;
    while (i < n && isNameChar(text.charCodeAt(i))) i++;
    if (i === offset) throw new ArgSyntaxError(`unexpected '${text[i]}' in actions`, i);
    const tok: ActionToken = { name: text.slice(offset, i), offset };
    skip();
    if (text[i] === ':') {
      i++;
      skip();
      if (text[i] === "'") {
        const quoteAt = i;
        i++;
        let v = '';
        let run = i;
        for (;;) {
          QUOTED_SPECIAL.lastIndex = i;
          const m = QUOTED_SPECIAL.exec(text);
          if (!m) throw new ArgSyntaxError(`unterminated quoted value of action ${tok.name}`, quoteAt);
          i = m.index;
          if (text.charCodeAt(i) === 0x27) {
            v += text.slice(run, i);
            i++;
            break;
          }
          const next = text[i + 1];
          if (next === "'" || next === '\\') {
            v += text.slice(run, i);
            run = i + 1;
            i += 2;
          } else i++;
        }
        tok.value = v;
        skip();
        if (i < n && text[i] !== ',') {
          throw new ArgSyntaxError(`unexpected text after the quoted value of action ${tok.name}`, i);
        }
      } else {
        let j = text.indexOf(',', i);
        if (j < 0) j = n;
        tok.value = text.slice(i, j).trim();
        i = j;
      }
    }
    out.push(tok);
    skip();
    if (i < n) {
      if (text[i] !== ',') throw new ArgSyntaxError(`expected ',' after action ${tok.name}`, i);
      i++;
    }
  }
  return out;
}

/** What an action list says, before inheritance. */
export interface ParsedActions {
  actions: RuleActions;
  /** Canonical names of the actions given. */
  present: Set<string>;
  /** Offset of the first occurrence of each canonical action name. */
  offsets: Map<string, number>;
  chain: boolean;
  /** `t:none` was given: inherited transformations are dropped (actions.transformations = those after it). */
  resetTransformations: boolean;
}

export function emptyActions(): RuleActions {
  return {
    tags: [],
    capture: false,
    multiMatch: false,
    transformations: [],
    setvars: [],
    ctls: [],
    initcol: [],
    expirevars: [],
    extra: [],
  };
}

type Arity = 'none' | 'required' | 'optional';
const ACTION_DEFS: [string, Arity][] = [
  ['accuracy', 'required'],
  ['allow', 'optional'],
  ['append', 'required'],
  ['auditlog', 'none'],
  ['block', 'none'],
  ['capture', 'none'],
  ['chain', 'none'],
  ['ctl', 'required'],
  ['deny', 'none'],
  ['deprecatevar', 'required'],
  ['drop', 'none'],
  ['exec', 'required'],
  ['expirevar', 'required'],
  ['id', 'required'],
  ['initcol', 'required'],
  ['log', 'none'],
  ['logdata', 'required'],
  ['maturity', 'required'],
  ['msg', 'required'],
  ['multiMatch', 'none'],
  ['noauditlog', 'none'],
  ['nolog', 'none'],
  ['pass', 'none'],
  ['pause', 'required'],
  ['phase', 'required'],
  ['prepend', 'required'],
  ['proxy', 'required'],
  ['redirect', 'required'],
  ['rev', 'required'],
  ['sanitiseArg', 'required'],
  ['sanitiseMatched', 'none'],
  ['sanitiseMatchedBytes', 'optional'],
  ['sanitiseRequestHeader', 'required'],
  ['sanitiseResponseHeader', 'required'],
  ['setenv', 'required'],
  ['setrsc', 'required'],
  ['setsid', 'required'],
  ['setuid', 'required'],
  ['setvar', 'required'],
  ['severity', 'required'],
  ['skip', 'required'],
  ['skipAfter', 'required'],
  ['status', 'required'],
  ['t', 'required'],
  ['tag', 'required'],
  ['ver', 'required'],
  ['xmlns', 'required'],
];
const ACTIONS = new Map<string, { name: string; arity: Arity }>(
  ACTION_DEFS.map(([name, arity]) => [name.toLowerCase(), { name, arity }]),
);
// American spellings of the sanitise actions are accepted too.
for (const n of ['sanitiseArg', 'sanitiseMatched', 'sanitiseMatchedBytes', 'sanitiseRequestHeader', 'sanitiseResponseHeader']) {
  ACTIONS.set(n.toLowerCase().replace('sanitise', 'sanitize'), ACTIONS.get(n.toLowerCase())!);
}

export const DISRUPTIVE_ACTIONS: ReadonlySet<string> = new Set(['allow', 'block', 'deny', 'drop', 'pass', 'redirect']);

const SEVERITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];
const PHASE_ALIASES: Record<string, 1 | 2 | 3 | 4 | 5> = { request: 2, response: 4, logging: 5 };
const COLLECTION = /^[A-Za-z_][A-Za-z0-9_]*$/;

function integer(value: string, what: string, offset: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value)) throw new ArgSyntaxError(`${what} must be a number, got '${value}'`, offset);
  const n = Number(value);
  if (n < min || n > max) throw new ArgSyntaxError(`${what} must be between ${min} and ${max}, got ${value}`, offset);
  return n;
}

/** `COLLECTION.key` as used by setvar/expirevar/deprecatevar. */
function splitCollectionKey(target: string, action: string, offset: number): { collection: string; key: string } {
  const dot = target.indexOf('.');
  const collection = dot < 0 ? '' : target.slice(0, dot).trim();
  const key = dot < 0 ? '' : target.slice(dot + 1).trim();
  if (!COLLECTION.test(collection) || key === '') {
    throw new ArgSyntaxError(`${action} needs COLLECTION.name, got '${target}'`, offset);
  }
  return { collection: collection.toLowerCase(), key };
}

export function parseSetvar(value: string, offset: number): RuleActions['setvars'][number] {
  let s = value.trim();
  const del = s.startsWith('!');
  if (del) s = s.slice(1);
  const eq = s.indexOf('=');
  const { collection, key } = splitCollectionKey(eq < 0 ? s : s.slice(0, eq), 'setvar', offset);
  if (del) return { collection, key, op: 'delete', value: '' };
  // `setvar:tx.flag` sets the variable to 1 (reference manual).
  if (eq < 0) return { collection, key, op: '=', value: '1' };
  const raw = s.slice(eq + 1);
  let op: SetvarOp = '=';
  let v = raw;
  if (raw.startsWith('+')) {
    op = '+=';
    v = raw.slice(1);
  } else if (raw.startsWith('-')) {
    op = '-=';
    v = raw.slice(1);
  }
  return { collection, key, op, value: v };
}

export function parseActions(text: string): ParsedActions {
  const parsed: ParsedActions = {
    actions: emptyActions(),
    present: new Set(),
    offsets: new Map(),
    chain: false,
    resetTransformations: false,
  };
  const a = parsed.actions;
  for (const tok of tokenizeActions(text)) {
    const def = ACTIONS.get(tok.name.toLowerCase());
    if (!def) throw new ArgSyntaxError(`unknown action ${tok.name}`, tok.offset);
    const name = def.name;
    const at = tok.offset;
    if (def.arity === 'none' && tok.value !== undefined) throw new ArgSyntaxError(`action ${name} takes no value`, at);
    if (def.arity === 'required' && tok.value === undefined) throw new ArgSyntaxError(`action ${name} needs a value`, at);
    const v = tok.value ?? '';
    parsed.present.add(name);
    if (!parsed.offsets.has(name)) parsed.offsets.set(name, at);

    switch (name) {
      case 'id':
        a.id = integer(v, 'id', at, 1);
        break;
      case 'phase': {
        const alias = PHASE_ALIASES[v.toLowerCase()];
        a.phase = alias ?? (integer(v, 'phase', at, 1, 5) as 1 | 2 | 3 | 4 | 5);
        break;
      }
      case 'msg':
        a.msg = v;
        break;
      case 'logdata':
        a.logdata = v;
        break;
      case 'tag':
        a.tags.push(v);
        break;
      case 'severity': {
        const idx = SEVERITIES.indexOf(v.toUpperCase());
        a.severity = idx >= 0 ? idx : integer(v, 'severity', at, 0, 7);
        break;
      }
      case 'ver':
        a.ver = v;
        break;
      case 'rev':
        a.rev = v;
        break;
      case 'maturity':
        a.maturity = integer(v, 'maturity', at, 0, 9);
        break;
      case 'accuracy':
        a.accuracy = integer(v, 'accuracy', at, 0, 9);
        break;
      case 'capture':
        a.capture = true;
        break;
      case 'multiMatch':
        a.multiMatch = true;
        break;
      case 'chain':
        parsed.chain = true;
        break;
      case 't': {
        if (v.toLowerCase() === 'none') {
          a.transformations = [];
          parsed.resetTransformations = true;
          break;
        }
        const t = canonicalTransformation(v);
        if (t === undefined) throw new ArgSyntaxError(`unknown transformation t:${v}`, at);
        a.transformations.push(t);
        break;
      }
      case 'setvar':
        a.setvars.push(parseSetvar(v, at));
        break;
      case 'ctl': {
        const eq = v.indexOf('=');
        const ctl = eq < 0 ? undefined : canonicalCtl(v.slice(0, eq).trim());
        if (eq < 0) throw new ArgSyntaxError(`ctl needs option=value, got '${v}'`, at);
        if (ctl === undefined) throw new ArgSyntaxError(`unknown ctl option ${v.slice(0, eq).trim()}`, at);
        a.ctls.push({ name: ctl, value: v.slice(eq + 1).trim() });
        break;
      }
      case 'skip':
        a.skip = integer(v, 'skip', at, 1);
        break;
      case 'skipAfter':
        if (v === '') throw new ArgSyntaxError('skipAfter needs a marker or rule id', at);
        a.skipAfter = v;
        break;
      case 'deny':
      case 'drop':
      case 'block':
      case 'pass':
        a.disruptive = { kind: name };
        break;
      case 'allow': {
        if (tok.value === undefined) {
          a.disruptive = { kind: 'allow' };
        } else {
          const arg = v.toLowerCase();
          if (arg !== 'phase' && arg !== 'request') throw new ArgSyntaxError(`allow takes phase or request, got '${v}'`, at);
          a.disruptive = { kind: 'allow', arg };
        }
        break;
      }
      case 'redirect':
        if (v === '') throw new ArgSyntaxError('redirect needs a URL', at);
        a.disruptive = { kind: 'redirect', arg: v };
        break;
      case 'status':
        a.status = integer(v, 'status', at, 100, 999);
        break;
      case 'log':
        a.log = true;
        a.auditlog = true;
        break;
      case 'nolog':
        a.log = false;
        a.auditlog = false;
        break;
      case 'auditlog':
        a.auditlog = true;
        break;
      case 'noauditlog':
        a.auditlog = false;
        break;
      case 'initcol': {
        const eq = v.indexOf('=');
        const collection = eq < 0 ? '' : v.slice(0, eq).trim();
        if (!COLLECTION.test(collection) || v.slice(eq + 1).trim() === '') {
          throw new ArgSyntaxError(`initcol needs COLLECTION=key, got '${v}'`, at);
        }
        a.initcol.push({ collection: collection.toLowerCase(), key: v.slice(eq + 1).trim() });
        break;
      }
      case 'expirevar': {
        const eq = v.indexOf('=');
        if (eq < 0) throw new ArgSyntaxError(`expirevar needs COLLECTION.name=seconds, got '${v}'`, at);
        const seconds = v.slice(eq + 1).trim();
        if (seconds === '') throw new ArgSyntaxError('expirevar needs a number of seconds', at);
        a.expirevars.push({ ...splitCollectionKey(v.slice(0, eq), 'expirevar', at), seconds });
        break;
      }
      case 'exec':
        throw new ArgSyntaxError('action exec is not supported: external programs and Lua scripts are never run', at);
      case 'proxy':
        throw new ArgSyntaxError('action proxy is not supported', at);
      default:
        // Non-disruptive actions the engine may act on by name (setenv, setuid, sanitise*, xmlns, pause, ...).
        a.extra.push(tok.value === undefined ? { name } : { name, value: v });
    }
  }
  // The last disruptive action wins; `redirect` also names the target URL.
  if (a.disruptive?.kind === 'redirect') a.redirect = a.disruptive.arg;
  return parsed;
}
