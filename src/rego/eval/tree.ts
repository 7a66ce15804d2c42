// The document tree: base data merged with the virtual documents rules define. Nodes follow rule
// paths (package + ground prefix of each rule's ref); `readData` walks a data ref through them,
// evaluating only the rules it needs (a complete rule, the rules of a partial set for one member,
// the rules of a partial object for one key) and memoizing each per evaluation context.
import { type Location, RegoError } from '../errors.js';
import { equal, type MapKey, mapKey, RObject, RSet, type Value } from '../value.js';
import { type Ctx, Frame, type OvNode, type Step, UNDEF } from './frame.js';

/** A head part: a var slot to pre-bind/read, or a constant. */
export type Part = { slot: number } | { v: Value };

export interface CRule {
  kind: 'complete' | 'multi' | 'single' | 'function';
  /** data.a.b.p, for messages. */
  name: string;
  nslots: number;
  entry: Step;
  /** Key parts below the node (single-value and multi-value rules with vars in their ref). */
  parts: Part[];
  member: Part | null;
  value: Part;
  args: Part[];
  /** Candidate rules by indexed input value (see index.ts), when the rule set is indexable. */
  else: CRule | null;
  isDefault: boolean;
  loc: Location;
}

export class Node {
  readonly children = new Map<MapKey, Node>();
  complete: CRule[] = [];
  dflt: CRule | null = null;
  /** Multi-value rules without key parts: the node's document is a set. */
  setRules: CRule[] = [];
  /** Single-value rules with key parts, and multi-value rules with key parts. */
  dyn: CRule[] = [];
  funcs: CRule[] = [];
  fdflt: CRule | null = null;
  arity = -1;
  /** Rule selection by input values (rule indexing), set at compile time when it helps. */
  pickComplete: ((x: Ctx) => CRule[]) | null = null;
  pickSet: ((x: Ctx) => CRule[]) | null = null;
  pickDyn: ((x: Ctx) => CRule[]) | null = null;
  constructor(
    readonly id: number,
    readonly key: Value,
    readonly path: Value[],
  ) {}

  get hasRules(): boolean {
    return (
      this.complete.length > 0 ||
      this.dflt !== null ||
      this.setRules.length > 0 ||
      this.dyn.length > 0 ||
      this.funcs.length > 0 ||
      this.fdflt !== null
    );
  }

  child(k: Value): Node | undefined {
    return this.children.get(mapKey(k));
  }
}

const sortedCache = new WeakMap<RObject, Value[]>();

/** An object's keys in Rego order (OPA iterates objects and sets sorted), cached per object. */
export function sortedKeys(o: RObject): Value[] {
  let keys = sortedCache.get(o);
  if (keys === undefined || keys.length !== o.size) {
    keys = o.sortedKeys();
    sortedCache.set(o, keys);
  }
  return keys;
}

/** v[k] for any collection (arrays by integer index, sets by membership). */
export function dot(v: Value | undefined, k: Value): Value | undefined {
  if (v === undefined || v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= v.length) return undefined;
    return v[k];
  }
  if (v instanceof RObject) return typeof k === 'string' ? v.getStr(k) : v.get(k);
  return v.has(k) ? k : undefined;
}

export function navigate(v: Value | undefined, path: Value[], from: number): Value | undefined {
  for (let i = from; i < path.length && v !== undefined; i++) v = dot(v, path[i] as Value);
  return v;
}

export function conflict(msg: string, loc?: Location): RegoError {
  return new RegoError('eval_conflict_error', msg, loc);
}

const MAX_DEPTH_MSG = 'evaluation exceeded the maximum depth';

/** Runs one rule body in a fresh frame. `pre` binds head parts first; false = cannot match. */
function enter(r: CRule, x: Ctx, acc: unknown, pre: ((f: Frame) => boolean) | null, args: Value[] | null = null): void {
  const run = x.run;
  if (++run.depth > run.limits.maxDepth) {
    run.depth--;
    throw new RegoError('eval_limit_error', `${MAX_DEPTH_MSG} (${run.limits.maxDepth})`, r.loc);
  }
  try {
    run.tick(r.loc);
    const f = new Frame(r.nslots, x);
    f.acc = acc;
    if (args !== null ? bindArgs(f, r, args) : pre === null || pre(f)) r.entry(f);
  } finally {
    run.depth--;
  }
}

/** Binds a function's arguments at entry (no closure per call); false when one does not match. */
function bindArgs(f: Frame, r: CRule, args: Value[]): boolean {
  for (let i = 0; i < r.args.length; i++) if (!preBind(f, r.args[i] as Part, args[i] as Value)) return false;
  return true;
}

/** Binds a part to a value at entry; false when a constant part does not match. */
export function preBind(f: Frame, p: Part, v: Value): boolean {
  if ('v' in p) return equal(p.v, v);
  const cur = f.s[p.slot];
  if (cur === undefined) {
    f.s[p.slot] = v;
    return true;
  }
  return equal(cur, v);
}

export interface ValueAcc {
  v: Value | undefined;
}

function runValue(r: CRule, x: Ctx, pre: ((f: Frame) => boolean) | null): Value | undefined {
  for (let cur: CRule | null = r; cur; cur = cur.else) {
    const acc: ValueAcc = { v: undefined };
    enter(cur, x, acc, pre);
    if (acc.v !== undefined) return acc.v;
  }
  return undefined;
}

export function completeValue(n: Node, x: Ctx): Value | undefined {
  const m = x.getMemo(n.id);
  if (m !== undefined) return m === UNDEF ? undefined : m;
  let result: Value | undefined;
  const rules = n.pickComplete ? n.pickComplete(x) : n.complete;
  for (const r of rules) {
    const v = runValue(r, x, null);
    if (v === undefined) continue;
    if (result === undefined) result = v;
    else if (!equal(result, v)) throw conflict('complete rules must not produce multiple outputs', r.loc);
  }
  if (result === undefined && n.dflt) result = runValue(n.dflt, x, null);
  x.setMemo(n.id, result === undefined ? UNDEF : result);
  return result;
}

function runFunc(r: CRule, args: Value[], x: Ctx): Value | undefined {
  let v: Value | undefined;
  for (let cur: CRule | null = r; cur && v === undefined; cur = cur.else) {
    const acc: ValueAcc = { v: undefined };
    enter(cur, x, acc, null, args);
    v = acc.v;
  }
  return v;
}

export function callFunction(n: Node, args: Value[], x: Ctx): Value | undefined {
  let result: Value | undefined;
  for (const r of n.funcs) {
    const v = runFunc(r, args, x);
    if (v === undefined) continue;
    if (result === undefined) result = v;
    else if (!equal(result, v)) throw conflict('functions must not produce multiple outputs for same inputs', r.loc);
  }
  if (result === undefined && n.fdflt) result = runFunc(n.fdflt, args, x);
  return result;
}

/** Accumulator of multi-value rules: the set, and whether one member is enough. */
export interface SetAcc {
  set: RSet;
  once: boolean;
}

function setDoc(n: Node, x: Ctx): RSet {
  const acc: SetAcc = { set: new RSet(), once: false };
  for (const r of n.pickSet ? n.pickSet(x) : n.setRules) enter(r, x, acc, null);
  return acc.set;
}

function setHas(n: Node, k: Value, x: Ctx): boolean {
  const memo = x.keyedMemo(n.id);
  const mk = mapKey(k);
  const m = memo.get(mk);
  if (m !== undefined) return m !== UNDEF;
  const full = x.getMemo(n.id);
  let found = false;
  if (full !== undefined && full instanceof RSet) found = full.has(k);
  else {
    for (const r of n.pickSet ? n.pickSet(x) : n.setRules) {
      const acc: SetAcc = { set: new RSet(), once: true };
      enter(r, x, acc, (f) => preBind(f, r.member as Part, k));
      if (acc.set.size > 0) {
        found = true;
        break;
      }
    }
  }
  memo.set(mk, found ? k : UNDEF);
  return found;
}

/** Accumulator of rules with key parts: the object under construction and which of its
 *  nested objects were created here (others are shared and copied before writing). */
export interface ObjAcc {
  obj: RObject;
  owned: Set<RObject>;
}

/** Inserts value (or, for multi-value rules, a set member) at keys below acc.obj. */
export function insertAt(acc: ObjAcc, keys: Value[], v: Value, member: boolean, loc: Location): void {
  let o = acc.obj;
  const n = member ? keys.length : keys.length - 1;
  for (let i = 0; i < n; i++) {
    const k = keys[i] as Value;
    const cur = o.get(k);
    let next: RObject | RSet;
    if (cur === undefined) {
      next = member && i === n - 1 ? new RSet() : new RObject();
      if (next instanceof RObject) acc.owned.add(next);
      else (acc.owned as Set<unknown>).add(next);
      o.set(k, next);
    } else if (member && i === n - 1) {
      if (!(cur instanceof RSet)) throw conflict('object keys must be unique', loc);
      next = cur;
      if (!(acc.owned as Set<unknown>).has(cur)) {
        next = RSet.from(cur);
        (acc.owned as Set<unknown>).add(next);
        o.set(k, next);
      }
    } else if (cur instanceof RObject) {
      next = cur;
      if (!acc.owned.has(cur)) {
        next = cur.clone();
        acc.owned.add(next);
        o.set(k, next);
      }
    } else throw conflict('object keys must be unique', loc);
    if (next instanceof RSet) {
      next.add(v);
      return;
    }
    o = next;
  }
  if (member) return;
  const last = keys[keys.length - 1] as Value;
  const cur = o.get(last);
  if (cur !== undefined && !equal(cur, v)) throw conflict('object keys must be unique', loc);
  o.set(last, v);
}

/** The base document at a path. */
export function baseAt(x: Ctx, path: Value[]): Value | undefined {
  return navigate(x.run.base, path, 0);
}

/** The whole document at a node (base + virtual), memoized. */
export function fullDoc(n: Node, x: Ctx): Value | undefined {
  if (n.funcs.length > 0 || n.fdflt) return undefined;
  if (n.complete.length > 0 || n.dflt) return completeValue(n, x);
  const m = x.getMemo(n.id);
  if (m !== undefined) return m === UNDEF ? undefined : m;
  let doc: Value;
  if (n.setRules.length > 0) doc = setDoc(n, x);
  else {
    const obj = new RObject();
    const base = baseAt(x, n.path);
    if (base instanceof RObject) for (const [k, v] of base.entries()) obj.set(k, v);
    for (const c of n.children.values()) {
      const v = fullDoc(c, x);
      if (v === undefined) continue;
      const b = obj.get(c.key);
      // Base documents take precedence over virtual ones where both define a value.
      obj.set(c.key, b === undefined ? v : mergeDocs(b, v));
    }
    const acc: ObjAcc = { obj, owned: new Set() };
    for (const r of n.pickDyn ? n.pickDyn(x) : n.dyn) enter(r, x, acc, null);
    doc = obj;
  }
  x.setMemo(n.id, doc);
  return doc;
}

/** Merges a virtual document into a base one (objects recursively; the base wins elsewhere). */
function mergeDocs(base: Value, virt: Value): Value {
  if (!(base instanceof RObject) || !(virt instanceof RObject)) return base;
  const o = base.clone();
  for (const [k, v] of virt.entries()) {
    const b = o.get(k);
    o.set(k, b === undefined ? v : mergeDocs(b, v));
  }
  return o;
}

/** The document at n[k] for an object node with rules that have key parts. */
function lookupKey(n: Node, k: Value, x: Ctx): Value | undefined {
  const memo = x.keyedMemo(n.id);
  const mk = mapKey(k);
  const m = memo.get(mk);
  if (m !== undefined) return m === UNDEF ? undefined : m;
  const full = x.getMemo(n.id);
  let v: Value | undefined;
  if (full !== undefined) v = dot(full === UNDEF ? undefined : full, k);
  else {
    const c = n.child(k);
    v = c ? fullDoc(c, x) : dot(baseAt(x, n.path), k);
    const obj = new RObject();
    if (v !== undefined) obj.set(k, v);
    const acc: ObjAcc = { obj, owned: new Set() };
    for (const r of n.pickDyn ? n.pickDyn(x) : n.dyn) {
      const p0 = r.parts[0] as Part;
      enter(r, x, acc, (f) => preBind(f, p0, k));
    }
    v = obj.get(k);
  }
  memo.set(mk, v === undefined ? UNDEF : v);
  return v;
}

/** Applies override nodes below a document (creating objects along the way). */
function applyOv(v: Value | undefined, ov: OvNode): Value | undefined {
  if (ov.value !== undefined) return ov.value;
  if (ov.children === null) return v;
  let o = v instanceof RObject ? v.clone() : new RObject();
  for (const c of ov.children.values()) {
    const key = c.key as Value;
    const nv = applyOv(o.get(key), c);
    if (nv !== undefined) o = o.set(key, nv);
  }
  return o;
}

/** Reads data at a path of ground keys (the ref data.<path>), undefined when absent. */
export function readData(x: Ctx, root: Node, path: Value[]): Value | undefined {
  let n = root;
  let ov = x.ov;
  let i = 0;
  for (;;) {
    if (ov !== null && ov.value !== undefined) return navigate(ov.value, path, i);
    if (i === path.length) {
      const d = fullDoc(n, x);
      return ov === null ? d : applyOv(d, ov);
    }
    if (n.hasRules) break;
    const k = path[i] as Value;
    const c = n.child(k);
    const ovc = ov === null ? null : (ov.children?.get(mapKey(k)) ?? null);
    if (c === undefined) {
      if (ovc !== null && ovc.value !== undefined) return navigate(ovc.value, path, i + 1);
      let v = dot(baseAt(x, n.path), k);
      if (ovc !== null) v = applyOv(v, ovc);
      return navigate(v, path, i + 1);
    }
    n = c;
    ov = ovc;
    i++;
  }
  if (ov !== null) return navigate(applyOv(fullDoc(n, x), ov), path, i);
  if (n.complete.length > 0 || n.dflt) return navigate(completeValue(n, x), path, i);
  if (n.funcs.length > 0 || n.fdflt) return undefined;
  const k = path[i] as Value;
  if (n.setRules.length > 0) return setHas(n, k, x) ? navigate(k, path, i + 1) : undefined;
  return navigate(lookupKey(n, k, x), path, i + 1);
}

/** Builds a context's override tree by adding one `with data.<path> as v` on top of `base`. */
export function addOverride(base: OvNode | null, path: Value[], v: Value): OvNode {
  const copy = (n: OvNode | null): OvNode => ({
    value: n?.value,
    children: n?.children ? new Map(n.children) : null,
  });
  const root = copy(base);
  let n = root;
  for (let i = 0; i < path.length; i++) {
    if (n.value !== undefined) {
      // Overriding inside a replaced value: upsert into it.
      n.value = upsert(n.value, path, i, v);
      return root;
    }
    const k = path[i] as Value;
    if (n.children === null) n.children = new Map();
    const c = copy(n.children.get(mapKey(k)) ?? null);
    c.key = k;
    n.children.set(mapKey(k), c);
    n = c;
  }
  n.value = v;
  n.children = null;
  return root;
}

/** Returns `doc` with `v` placed at path[from..], creating or copying objects along the way. */
export function upsert(doc: Value | undefined, path: Value[], from: number, v: Value): Value {
  if (from === path.length) return v;
  const o = doc instanceof RObject ? doc.clone() : new RObject();
  const k = path[from] as Value;
  return o.set(k, upsert(o.get(k), path, from + 1, v));
}
