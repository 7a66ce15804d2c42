// Rule indexing: rule sets whose bodies test `input.<path> == <scalar>` (or `=`) are organised in a
// decision tree keyed by those input values, so an evaluation only runs the rules that can match
// (plus the rules that do not test that path). Rules that test `glob.match("<pattern>", [<delims>],
// input.<path>)` are further filtered by a trie of their patterns' literal leading segments.
// Rules with `else` branches are never filtered.
import type { Ctx } from '../eval/frame.js';
import type { CRule } from '../eval/tree.js';
import { type MapKey, mapKey, RObject, type Value } from '../value.js';
import type { E, T } from './ir.js';

/** input path (JSON-encoded) → the scalar values it must equal one of (`==`, `=`, or `in` a constant
 *  collection); `globs`: path → a glob it must match. */
export type Conditions = Map<string, Value[]> & { globs?: Map<string, { pattern: string; delims: string[] }> };

function inputPath(t: T): string[] | null {
  if (t.t !== 'ref' || t.head.t !== 'root' || t.head.root !== 'input' || t.path.length === 0) return null;
  const out: string[] = [];
  for (const p of t.path) {
    if (p.t !== 'const' || typeof p.v !== 'string') return null;
    out.push(p.v);
  }
  return out;
}

function scalar(t: T): Value | undefined {
  if (t.t !== 'const') return undefined;
  const v = t.v;
  return v === null || typeof v !== 'object' ? v : undefined;
}

/** The equality conditions on input a rule body imposes unconditionally (top level, positive,
 *  without `with`). */
export function conditionsOf(body: E[]): Conditions {
  const out: Conditions = new Map();
  for (const e of body) {
    if (e.negated || e.with.length > 0) continue;
    const g = globCondition(e);
    if (g) {
      if (!out.globs) out.globs = new Map();
      if (!out.globs.has(g.key)) out.globs.set(g.key, g);
      continue;
    }
    const m = memberCondition(e);
    if (m) {
      if (!out.has(m.key)) out.set(m.key, m.values);
      continue;
    }
    let a: T | null = null;
    let b: T | null = null;
    if (e.k === 'unify') {
      a = e.a;
      b = e.b;
    } else if (e.k === 'term' && e.term.t === 'call' && e.term.fn.kind === 'builtin' && e.term.fn.name === 'equal') {
      if (e.term.args.length !== 2) continue;
      [a, b] = e.term.args as [T, T];
    }
    if (!a || !b) continue;
    let path = inputPath(a);
    let v = scalar(b);
    if (!path || v === undefined) {
      path = inputPath(b);
      v = scalar(a);
    }
    if (!path || v === undefined) continue;
    const key = JSON.stringify(path);
    if (!out.has(key)) out.set(key, [v]);
  }
  return out;
}

/** `input.<path> in <constant array or set of scalars>` */
function memberCondition(e: E): { key: string; values: Value[] } | null {
  if (e.k !== 'term' || e.term.t !== 'call' || e.term.fn.kind !== 'builtin') return null;
  if (e.term.fn.name !== 'internal.member_2' || e.term.args.length !== 2) return null;
  const [x, coll] = e.term.args as [T, T];
  const path = inputPath(x);
  if (!path || (coll.t !== 'array' && coll.t !== 'set') || coll.items.length === 0) return null;
  const values: Value[] = [];
  for (const item of coll.items) {
    const v = scalar(item);
    if (v === undefined) return null;
    values.push(v);
  }
  return { key: JSON.stringify(path), values };
}

/** `glob.match("<const>", [<const single-char delimiters>], input.<path>)` */
function globCondition(e: E): { key: string; pattern: string; delims: string[] } | null {
  if (e.k !== 'term' || e.term.t !== 'call' || e.term.fn.kind !== 'builtin' || e.term.fn.name !== 'glob.match') return null;
  const [pat, del, subject] = e.term.args;
  if (e.term.args.length !== 3 || !pat || !del || !subject) return null;
  if (pat.t !== 'const' || typeof pat.v !== 'string') return null;
  if (del.t !== 'array' || del.items.length === 0) return null;
  const delims: string[] = [];
  for (const d of del.items) {
    if (d.t !== 'const' || typeof d.v !== 'string' || d.v.length !== 1) return null;
    delims.push(d.v);
  }
  const path = inputPath(subject);
  if (!path) return null;
  return { key: JSON.stringify(path), pattern: pat.v, delims };
}

/** Splits on any of the delimiter characters. */
function segments(s: string, delims: string[]): string[] {
  // One delimiter (the usual "/"): a delimiter is one rune, so splitting on it is the same.
  if (delims.length === 1) return s.split(delims[0] as string);
  const out: string[] = [];
  let cur = '';
  for (const ch of s) {
    if (delims.includes(ch)) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** The leading segments of a glob that are plain text (no *, ?, [, {, \). */
function literalPrefix(pattern: string, delims: string[]): string[] {
  const out: string[] = [];
  const segs = segments(pattern, delims);
  for (const seg of segs) {
    if (/[*?[{\\]/.test(seg)) return out;
    out.push(seg);
  }
  return out;
}

interface Trie {
  rules: CRule[];
  children: Map<string, Trie>;
  /** The candidates when a lookup ends here, computed on first use (the trie is fixed by then). */
  cand?: CRule[];
}

interface GlobLeaf {
  k: 2;
  glob: string[];
  delims: string[];
  trie: Trie;
  rest: CRule[];
  all: CRule[];
  order: Map<CRule, number>;
}

// `k` tells the kinds apart with one field read (monomorphic, unlike `'rules' in t` across shapes).
type IndexTree = { k: 0; rules: CRule[] } | { k: 1; path: string[]; map: Map<MapKey, IndexTree>; miss: IndexTree } | GlobLeaf;

/** A glob trie for a leaf, when several of its rules glob-match the same input path. */
function globLeaf(rules: CRule[], conds: Map<CRule, Conditions>): IndexTree {
  const counts = new Map<string, number>();
  for (const r of rules) for (const k of conds.get(r)?.globs?.keys() ?? []) counts.set(k, (counts.get(k) ?? 0) + 1);
  let best: string | null = null;
  let n = 1;
  for (const [k, c] of counts) if (c > n) [best, n] = [k, c];
  if (best === null || rules.length < MIN_RULES) return { k: 0, rules };
  const key = best;
  const trie: Trie = { rules: [], children: new Map() };
  const rest: CRule[] = [];
  let delims: string[] | null = null;
  for (const r of rules) {
    const g = conds.get(r)?.globs?.get(key);
    if (!g || (delims !== null && g.delims.join('') !== delims.join(''))) {
      rest.push(r);
      continue;
    }
    delims ??= g.delims;
    let t = trie;
    for (const seg of literalPrefix(g.pattern, g.delims)) {
      let c = t.children.get(seg);
      if (!c) {
        c = { rules: [], children: new Map() };
        t.children.set(seg, c);
      }
      t = c;
    }
    t.rules.push(r);
  }
  const order = new Map(rules.map((r, i) => [r, i]));
  return { k: 2, glob: JSON.parse(key) as string[], delims: delims ?? [], trie, rest, all: rules, order };
}

const MIN_RULES = 4;

function build(rules: CRule[], conds: Map<CRule, Conditions>, used: Set<string>, depth: number): IndexTree {
  if (depth > 4 || rules.length < MIN_RULES) return { k: 0, rules };
  const counts = new Map<string, number>();
  for (const r of rules) for (const k of conds.get(r)?.keys() ?? []) if (!used.has(k)) counts.set(k, (counts.get(k) ?? 0) + 1);
  let best: string | null = null;
  let n = 1;
  for (const [k, c] of counts) if (c > n) [best, n] = [k, c];
  if (best === null) return globLeaf(rules, conds);
  const key = best;
  const buckets = new Map<MapKey, CRule[]>();
  const miss: CRule[] = [];
  for (const r of rules) {
    for (const v of conds.get(r)?.get(key) ?? []) {
      const mk = mapKey(v);
      if (!buckets.has(mk)) buckets.set(mk, []);
    }
  }
  // Every bucket keeps the original rule order; rules without the condition go everywhere.
  for (const r of rules) {
    const vs = conds.get(r)?.get(key);
    if (vs === undefined) {
      miss.push(r);
      for (const list of buckets.values()) list.push(r);
      continue;
    }
    for (const mk of new Set(vs.map(mapKey))) (buckets.get(mk) as CRule[]).push(r);
  }
  const next = new Set(used).add(key);
  const map = new Map<MapKey, IndexTree>();
  for (const [mk, list] of buckets) map.set(mk, build(list, conds, next, depth + 1));
  return { k: 1, path: JSON.parse(key) as string[], map, miss: build(miss, conds, next, depth + 1) };
}

function lookup(input: Value | undefined, path: string[]): Value | undefined {
  let v = input;
  for (const k of path) {
    if (!(v instanceof RObject)) return undefined;
    v = v.getStr(k);
  }
  return v;
}

/** A selector of candidate rules, or null when indexing would not help. */
export function buildIndex(rules: CRule[], conds: Map<CRule, Conditions>): ((x: Ctx) => CRule[]) | null {
  const eligible = new Map<CRule, Conditions>();
  for (const r of rules) if (r.else === null) eligible.set(r, conds.get(r) ?? new Map());
  const tree = build(rules, eligible, new Set(), 0);
  if (tree.k === 0) return null;
  return (x) => {
    let t: IndexTree = tree;
    for (;;) {
      if (t.k === 0) return t.rules;
      if (t.k === 2) return globCandidates(t, lookup(x.input, t.glob));
      const v = lookup(x.input, t.path);
      t = v !== undefined && (v === null || typeof v !== 'object') ? (t.map.get(mapKey(v)) ?? t.miss) : t.miss;
    }
  };
}

function globCandidates(t: GlobLeaf, v: Value | undefined): CRule[] {
  // Non-strings are left to the rules (glob.match raises or is undefined for them).
  if (typeof v !== 'string') return t.all;
  // The candidates depend only on the deepest node reached, so each node's list is built once.
  let node = t.trie;
  if (t.delims.length === 1 && (t.delims[0] as string).length === 1) {
    // The usual single "/": walk the segments by indexOf, no array per lookup.
    const d = t.delims[0] as string;
    for (let start = 0; ; ) {
      const end = v.indexOf(d, start);
      const c = node.children.get(end < 0 ? v.slice(start) : v.slice(start, end));
      if (!c) break;
      node = c;
      if (end < 0) break;
      start = end + 1;
    }
  } else {
    for (const seg of segments(v, t.delims)) {
      const c = node.children.get(seg);
      if (!c) break;
      node = c;
    }
  }
  if (node.cand !== undefined) return node.cand;
  const segs = segments(v, t.delims);
  const out = [...t.rest, ...t.trie.rules];
  for (let n = t.trie, i = 0; n !== node; i++) {
    n = n.children.get(segs[i] as string) as Trie;
    out.push(...n.rules);
  }
  node.cand = out.length === t.all.length ? t.all : out.sort((a, b) => (t.order.get(a) as number) - (t.order.get(b) as number));
  return node.cand;
}
