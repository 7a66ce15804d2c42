// Rego values. Scalars are JS primitives; arrays are JS arrays; objects and sets are the classes
// below (Rego objects may have non-string keys, and sets need structural membership).
// Values are immutable by convention: nothing mutates a value once another part of the engine
// may hold it.

export type Value = null | boolean | number | string | Value[] | RObject | RSet;

/** The key a value has inside a JS Map: primitives stand for themselves (Map tells 1 from "1"),
 *  composite values use a canonical string behind a \u0000 prefix that no plain string carries. */
export type MapKey = string | number | boolean | null;

export function mapKey(v: Value): MapKey {
  if (typeof v === 'string') return v.length > 0 && v.charCodeAt(0) === 0 ? `\u0000s${v}` : v;
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  return `\u0000c${canonical(v)}`;
}

/** A deterministic text form: equal values give equal strings. */
export function canonical(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Object.is(v, -0) ? '0' : String(v);
    case 'string':
      return JSON.stringify(v);
  }
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + canonical(v[i] as Value);
    return `${s}]`;
  }
  if (v instanceof RSet) return `{${v.sorted().map(canonical).join(',')}|}`;
  const keys = v.sortedKeys();
  let s = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as Value;
    s += `${i ? ',' : ''}${canonical(k)}:${canonical(v.get(k) as Value)}`;
  }
  return `${s}}`;
}

export class RObject {
  private readonly vals = new Map<MapKey, Value>();
  /** Original keys, only where the map key is not the key itself (composite keys, \u0000 strings). */
  private rawKeys: Map<MapKey, Value> | null = null;

  static from(entries: Iterable<readonly [Value, Value]>): RObject {
    const o = new RObject();
    for (const [k, v] of entries) o.set(k, v);
    return o;
  }

  /** fromJSON's object case: string keys go straight into the map (inputs are converted per
   *  evaluation, so this is on the hot path). */
  static fromPlain(js: Record<string, unknown>): RObject {
    const o = new RObject();
    const vals = o.vals;
    for (const k of Object.keys(js)) {
      const v = fromJSON(js[k]);
      if (k.length > 0 && k.charCodeAt(0) === 0) o.set(k, v);
      else vals.set(k, v);
    }
    return o;
  }

  get size(): number {
    return this.vals.size;
  }

  get(k: Value): Value | undefined {
    return this.vals.get(mapKey(k));
  }

  /** Fast lookup by a string key (the common case: refs like input.request.path). */
  getStr(k: string): Value | undefined {
    return this.vals.get(k.length > 0 && k.charCodeAt(0) === 0 ? `\u0000s${k}` : k);
  }

  has(k: Value): boolean {
    return this.vals.has(mapKey(k));
  }

  /** Only for building a new object before anyone else sees it. */
  set(k: Value, v: Value): this {
    const mk = mapKey(k);
    if (typeof mk === 'string' && mk.charCodeAt(0) === 0) {
      if (this.rawKeys === null) this.rawKeys = new Map();
      this.rawKeys.set(mk, k);
    }
    this.vals.set(mk, v);
    return this;
  }

  /** Only for building: removes a key. */
  delete(k: Value): boolean {
    const mk = mapKey(k);
    this.rawKeys?.delete(mk);
    return this.vals.delete(mk);
  }

  *keys(): IterableIterator<Value> {
    const raw = this.rawKeys;
    for (const mk of this.vals.keys()) yield raw?.get(mk) ?? (mk as Value);
  }

  *entries(): IterableIterator<[Value, Value]> {
    const raw = this.rawKeys;
    for (const [mk, v] of this.vals) yield [raw?.get(mk) ?? (mk as Value), v];
  }

  values(): IterableIterator<Value> {
    return this.vals.values();
  }

  sortedKeys(): Value[] {
    return [...this.keys()].sort(compare);
  }

  /** A shallow copy that may then be built on. */
  clone(): RObject {
    const o = new RObject();
    for (const [k, v] of this.entries()) o.set(k, v);
    return o;
  }
}

export class RSet {
  private readonly items = new Map<MapKey, Value>();
  private sortedCache: Value[] | null = null;

  static from(values: Iterable<Value>): RSet {
    const s = new RSet();
    for (const v of values) s.add(v);
    return s;
  }

  get size(): number {
    return this.items.size;
  }

  has(v: Value): boolean {
    return this.items.has(mapKey(v));
  }

  /** Only for building a new set before anyone else sees it. Returns false when already present. */
  add(v: Value): boolean {
    const mk = mapKey(v);
    if (this.items.has(mk)) return false;
    this.items.set(mk, v);
    this.sortedCache = null;
    return true;
  }

  values(): IterableIterator<Value> {
    return this.items.values();
  }

  [Symbol.iterator](): IterableIterator<Value> {
    return this.items.values();
  }

  /** Members in Rego order (cached; do not mutate the result). */
  sorted(): Value[] {
    if (this.sortedCache === null) this.sortedCache = [...this.items.values()].sort(compare);
    return this.sortedCache;
  }
}

export type TypeName = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'set';

export function typeName(v: Value): TypeName {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
  }
  if (Array.isArray(v)) return 'array';
  return v instanceof RSet ? 'set' : 'object';
}

const RANK: Record<TypeName, number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5, set: 6 };

/** Rego's total order: null < boolean < number < string < array < object < set. */
export function compare(a: Value, b: Value): number {
  if (a === b) return 0;
  const ta = typeName(a);
  const tb = typeName(b);
  if (ta !== tb) return RANK[ta] - RANK[tb];
  switch (ta) {
    case 'null':
      return 0;
    case 'boolean':
      return a === b ? 0 : a ? 1 : -1;
    case 'number':
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 'string':
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 'array': {
      const x = a as Value[];
      const y = b as Value[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compare(x[i] as Value, y[i] as Value);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    case 'object': {
      const x = a as RObject;
      const y = b as RObject;
      const kx = x.sortedKeys();
      const ky = y.sortedKeys();
      const n = Math.min(kx.length, ky.length);
      for (let i = 0; i < n; i++) {
        const c = compare(kx[i] as Value, ky[i] as Value);
        if (c !== 0) return c;
        const d = compare(x.get(kx[i] as Value) as Value, y.get(ky[i] as Value) as Value);
        if (d !== 0) return d;
      }
      return kx.length - ky.length;
    }
    default: {
      const x = (a as RSet).sorted();
      const y = (b as RSet).sorted();
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compare(x[i] as Value, y[i] as Value);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
  }
}

export function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i] as Value, b[i] as Value)) return false;
    return true;
  }
  if (a instanceof RSet) {
    if (!(b instanceof RSet) || a.size !== b.size) return false;
    for (const v of a) if (!b.has(v)) return false;
    return true;
  }
  if (!(b instanceof RObject) || a.size !== b.size) return false;
  for (const [k, v] of a.entries()) {
    const w = b.get(k);
    if (w === undefined || !equal(v, w)) return false;
  }
  return true;
}

/** Plain JSON (as JSON.parse or a YAML parser gives it) to a Rego value. */
export function fromJSON(js: unknown): Value {
  if (js === null || js === undefined) return null;
  switch (typeof js) {
    case 'string':
    case 'boolean':
      return js;
    case 'number':
      return js;
    case 'bigint':
      return Number(js);
    case 'object': {
      if (Array.isArray(js)) {
        const out: Value[] = new Array(js.length);
        for (let i = 0; i < js.length; i++) out[i] = fromJSON(js[i]);
        return out;
      }
      if (js instanceof RObject || js instanceof RSet) return js;
      return RObject.fromPlain(js as Record<string, unknown>);
    }
  }
  throw new TypeError(`cannot convert ${typeof js} to a Rego value`);
}

/** A Rego value to plain JSON as OPA serializes it: sets become sorted arrays, non-string object
 *  keys are written as their JSON text. */
export function toJSON(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toJSON);
  if (v instanceof RSet) return v.sorted().map(toJSON);
  const out: Record<string, unknown> = {};
  for (const [k, val] of v.entries()) out[typeof k === 'string' ? k : JSON.stringify(toJSON(k))] = toJSON(val);
  return out;
}

/** Rego's literal syntax for a value (used by sprintf %v, print, error messages). */
export function format(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return formatNumber(v);
    case 'string':
      return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(format).join(', ')}]`;
  if (v instanceof RSet) return v.size === 0 ? 'set()' : `{${v.sorted().map(format).join(', ')}}`;
  return `{${v
    .sortedKeys()
    .map((k) => `${format(k)}: ${format(v.get(k) as Value)}`)
    .join(', ')}}`;
}

/** Numbers as OPA prints them: integers without exponent, other values in shortest form. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return String(n);
}
