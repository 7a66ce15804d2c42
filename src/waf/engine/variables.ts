// Variable selectors compiled once per rule into plans that push the selected values of a
// transaction into a caller-owned array (no per-evaluation allocation besides `&` counts).

import type { VariableSelector } from '../rule.js';
import { type KeyedCollection, type MultiCollection, type ValueList, VarValue } from './collection.js';
import type { TxState } from './state.js';
import { selectXPath } from './xml.js';

type MultiGetter = (t: TxState) => MultiCollection;
type KeyedGetter = (t: TxState) => KeyedCollection | undefined;

const MULTI: Record<string, MultiGetter> = {
  ARGS: (t) => t.args,
  ARGS_GET: (t) => t.argsGet,
  ARGS_POST: (t) => t.argsPost,
  ARGS_NAMES: (t) => t.argsNames,
  ARGS_GET_NAMES: (t) => t.argsGetNames,
  ARGS_POST_NAMES: (t) => t.argsPostNames,
  REQUEST_HEADERS: (t) => t.headers,
  REQUEST_HEADERS_NAMES: (t) => t.headerNames,
  REQUEST_COOKIES: (t) => t.cookies,
  REQUEST_COOKIES_NAMES: (t) => t.cookieNames,
  FILES: (t) => t.files,
  FILES_NAMES: (t) => t.filesNames,
  FILES_SIZES: (t) => t.filesSizes,
  FILES_TMP_CONTENT: (t) => t.filesTmpContent,
  FILES_TMPNAMES: (t) => t.filesTmpNames,
  MULTIPART_PART_HEADERS: (t) => t.multipartPartHeaders,
  MULTIPART_NAME: (t) => t.multipartName,
  MULTIPART_FILENAME: (t) => t.multipartFilename,
  RESPONSE_HEADERS: (t) => t.resHeaders,
  RESPONSE_HEADERS_NAMES: (t) => t.resHeaderNames,
  MATCHED_VARS: (t) => t.matchedVars,
  MATCHED_VARS_NAMES: (t) => t.matchedVarsNames,
};

const KEYED: Record<string, KeyedGetter> = {
  TX: (t) => t.tx,
  ENV: (t) => t.env,
  GEO: (t) => t.geo,
  IP: (t) => t.persisted('IP'),
  GLOBAL: (t) => t.persisted('GLOBAL'),
  SESSION: (t) => t.persisted('SESSION'),
  USER: (t) => t.persisted('USER'),
  RESOURCE: (t) => t.persisted('RESOURCE'),
};

const SCALARS = new Set([
  'REQUEST_URI',
  'REQUEST_URI_RAW',
  'REQUEST_FILENAME',
  'REQUEST_BASENAME',
  'REQUEST_LINE',
  'REQUEST_METHOD',
  'REQUEST_PROTOCOL',
  'QUERY_STRING',
  'REQUEST_BODY',
  'REQUEST_BODY_LENGTH',
  'FULL_REQUEST',
  'FULL_REQUEST_LENGTH',
  'ARGS_COMBINED_SIZE',
  'FILES_COMBINED_SIZE',
  'PATH_INFO',
  'REMOTE_ADDR',
  'REMOTE_HOST',
  'REMOTE_PORT',
  'REMOTE_USER',
  'SERVER_ADDR',
  'SERVER_PORT',
  'SERVER_NAME',
  'UNIQUE_ID',
  'AUTH_TYPE',
  'REQBODY_PROCESSOR',
  'REQBODY_ERROR',
  'REQBODY_ERROR_MSG',
  'REQBODY_PROCESSOR_ERROR',
  'REQBODY_PROCESSOR_ERROR_MSG',
  'INBOUND_DATA_ERROR',
  'OUTBOUND_DATA_ERROR',
  'URLENCODED_ERROR',
  'RESPONSE_STATUS',
  'RESPONSE_PROTOCOL',
  'STATUS_LINE',
  'RESPONSE_CONTENT_TYPE',
  'RESPONSE_CONTENT_LENGTH',
  'RESPONSE_BODY',
  'MATCHED_VAR',
  'MATCHED_VAR_NAME',
  'HIGHEST_SEVERITY',
  'DURATION',
  'TIME',
  'TIME_DAY',
  'TIME_EPOCH',
  'TIME_HOUR',
  'TIME_MIN',
  'TIME_MON',
  'TIME_SEC',
  'TIME_WDAY',
  'TIME_YEAR',
  'USERID',
  'SESSIONID',
  'WEBAPPID',
  'WEBSERVER_ERROR_LOG',
  'MSC_PCRE_LIMITS_EXCEEDED',
  'MODSEC_BUILD',
  'HTTP_VERSION',
  'STREAM_INPUT_BODY',
  'STREAM_OUTPUT_BODY',
  'USERAGENT_IP',
  'MULTIPART_STRICT_ERROR',
  'MULTIPART_UNMATCHED_BOUNDARY',
  'MULTIPART_BOUNDARY_QUOTED',
  'MULTIPART_BOUNDARY_WHITESPACE',
  'MULTIPART_DATA_BEFORE',
  'MULTIPART_DATA_AFTER',
  'MULTIPART_HEADER_FOLDING',
  'MULTIPART_LF_LINE',
  'MULTIPART_CRLF_LF_LINES',
  'MULTIPART_MISSING_SEMICOLON',
  'MULTIPART_SEMICOLON_MISSING',
  'MULTIPART_INVALID_QUOTING',
  'MULTIPART_INVALID_PART',
  'MULTIPART_INVALID_HEADER_FOLDING',
  'MULTIPART_FILE_LIMIT_EXCEEDED',
]);

/** Variables this engine fills (others known to SecLang select nothing). */
export function isKnownVariable(name: string): boolean {
  return name in MULTI || name in KEYED || SCALARS.has(name) || name === 'XML' || name === 'RULE';
}

/** Which keys an exclusion (`!VAR:key`, ctl:ruleRemoveTarget*) removes. */
export type KeyMatcher = { all: true } | { all: false; lower: string } | { all: false; re: RegExp };

export function keyMatcher(sel: Pick<VariableSelector, 'key'>): KeyMatcher {
  const k = sel.key;
  if (k === undefined) return { all: true };
  if (k.kind === 'exact') return { all: false, lower: k.value.toLowerCase() };
  return { all: false, re: insensitive(k.re, k.source) };
}

export function matchesKey(m: KeyMatcher, key: string): boolean {
  if (m.all) return true;
  if ('lower' in m) return key.length === m.lower.length && key.toLowerCase() === m.lower;
  return m.re.test(key);
}

/** Key regexes match case-insensitively (as ModSecurity compiles them); stateful flags dropped. */
function insensitive(re: RegExp, source: string): RegExp {
  const flags = re.flags.replace(/[gy]/g, '');
  try {
    return new RegExp(re.source || source, flags.includes('i') ? flags : `${flags}i`);
  } catch {
    return new RegExp(re.source, flags);
  }
}

export interface Exclusion {
  name: string;
  match: KeyMatcher;
}

export type SelectorKind = 'multi' | 'keyed' | 'scalar' | 'xml' | 'rule';

export class CompiledSelector {
  readonly kind: SelectorKind;
  readonly count: boolean;
  private readonly multi?: MultiGetter;
  private readonly keyed?: KeyedGetter;
  private readonly keyLower?: string;
  private readonly keyRe?: RegExp;
  private readonly xpath?: string;
  /** Static exclusions of the same variable name in the rule. */
  private readonly excl: KeyMatcher[];

  constructor(
    readonly name: string,
    sel: VariableSelector,
    excl: KeyMatcher[],
  ) {
    this.count = sel.count;
    this.excl = excl;
    if (name in MULTI) {
      this.kind = 'multi';
      this.multi = MULTI[name];
    } else if (name in KEYED) {
      this.kind = 'keyed';
      this.keyed = KEYED[name];
    } else if (name === 'XML') {
      this.kind = 'xml';
      this.xpath = sel.key?.kind === 'exact' ? sel.key.value : (sel.key?.source ?? '/*');
      return;
    } else if (name === 'RULE') {
      this.kind = 'rule';
    } else {
      // Plain variables; names the loader accepts but this engine does not fill (SCRIPT_*, PERF_*
      // ...) are plain variables that are never set.
      this.kind = 'scalar';
      return;
    }
    if (sel.key?.kind === 'exact') this.keyLower = sel.key.value.toLowerCase();
    else if (sel.key?.kind === 'regex') this.keyRe = insensitive(sel.key.re, sel.key.source);
  }

  /** Pushes the selected values (or one count value) into `out`; `dyn` are ctl-removed targets. */
  collect(t: TxState, out: ValueList, dyn: KeyMatcher[] | undefined): void {
    if (!this.count) {
      this.select(t, out, dyn);
      return;
    }
    const start = out.n;
    this.select(t, out, dyn);
    const n = out.n - start;
    out.n = start;
    out.add(new VarValue(this.name, '', String(n)));
  }

  private excluded(key: string, dyn: KeyMatcher[] | undefined): boolean {
    for (const m of this.excl) if (matchesKey(m, key)) return true;
    if (dyn !== undefined) for (const m of dyn) if (matchesKey(m, key)) return true;
    return false;
  }

  private select(t: TxState, out: ValueList, dyn: KeyMatcher[] | undefined): void {
    const hasExcl = this.excl.length > 0 || dyn !== undefined;
    switch (this.kind) {
      case 'multi': {
        const c = (this.multi as MultiGetter)(t);
        if (c.size === 0) return;
        if (this.keyLower !== undefined) {
          const list = c.get(this.keyLower);
          if (list === undefined) return;
          for (const v of list) if (!hasExcl || !this.excluded(v.key, dyn)) out.add(v);
          return;
        }
        const re = this.keyRe;
        for (const v of c.entries) {
          if (re !== undefined && !re.test(v.key)) continue;
          if (hasExcl && this.excluded(v.key, dyn)) continue;
          out.add(v);
        }
        return;
      }
      case 'keyed': {
        const c = (this.keyed as KeyedGetter)(t);
        if (c === undefined) return;
        if (this.keyLower !== undefined) {
          const v = c.getVar(this.keyLower);
          if (v !== undefined && (!hasExcl || !this.excluded(v.key, dyn))) out.add(v);
          return;
        }
        const re = this.keyRe;
        for (const v of c.map.values()) {
          if (re !== undefined && !re.test(v.key)) continue;
          if (hasExcl && this.excluded(v.key, dyn)) continue;
          out.add(v);
        }
        return;
      }
      case 'scalar': {
        if (dyn?.some((m) => m.all)) return;
        const v = t.scalarVar(this.name);
        if (v !== undefined) out.add(v);
        return;
      }
      case 'xml': {
        if (t.xml === undefined) return;
        if (dyn?.some((m) => m.all || matchesKey(m, this.xpath as string))) return;
        if (this.excl.some((m) => m.all || matchesKey(m, this.xpath as string))) return;
        const xpath = this.xpath as string;
        let list = t.xmlCache.get(xpath);
        if (list === undefined) {
          list = selectXPath(t.xml, xpath).map((s) => new VarValue('XML', xpath, s));
          t.xmlCache.set(xpath, list);
        }
        for (const v of list) out.add(v);
        return;
      }
      case 'rule': {
        const r = t.rule;
        if (r === undefined) return;
        const entries: [string, string | number | undefined][] = [
          ['id', r.id],
          ['phase', r.phase],
          ['msg', r.msg],
          ['logdata', r.logdata],
          ['severity', r.severity],
          ['rev', r.rev],
          ['ver', r.ver],
          ['maturity', r.maturity],
          ['accuracy', r.accuracy],
        ];
        for (const [k, val] of entries) {
          if (val === undefined) continue;
          if (this.keyLower !== undefined && k !== this.keyLower) continue;
          if (this.keyRe !== undefined && !this.keyRe.test(k)) continue;
          out.add(new VarValue('RULE', k, String(val)));
        }
        return;
      }
    }
  }
}

/** First value of `name` (with optional key) for macro expansion: %{tx.score}, %{REQUEST_URI}. */
export function macroValue(t: TxState, name: string, key: string): string | undefined {
  if (name in MULTI) {
    const c = (MULTI[name] as MultiGetter)(t);
    if (key === '') return c.entries[0]?.value;
    return c.first(key.toLowerCase());
  }
  if (name in KEYED) {
    const c = (KEYED[name] as KeyedGetter)(t);
    return key === '' ? undefined : c?.get(key);
  }
  if (name === 'RULE') {
    const r = t.rule;
    if (r === undefined) return undefined;
    const v = (r as unknown as Record<string, unknown>)[key.toLowerCase()];
    return v === undefined ? undefined : String(v);
  }
  if (name === 'XML') {
    if (t.xml === undefined) return undefined;
    return selectXPath(t.xml, key === '' ? '/*' : key)[0];
  }
  return t.scalar(name);
}
