// Variable storage for one transaction. A VarValue is one inspectable value; it carries its own
// transformation cache, so a value read by many rules is transformed once per transformation chain.
// Keys are matched case-insensitively (as ModSecurity does for every collection); the original
// spelling is kept for MATCHED_VAR_NAME and logs.

export class VarValue {
  /** Transformation results by chain node id (see transform.ts); per transaction by construction. */
  tc: Map<number, string> | undefined = undefined;
  constructor(
    /** Variable name as shown in MATCHED_VAR_NAME, e.g. `ARGS`, `REQUEST_URI`. */
    readonly coll: string,
    /** Collection key ('' for plain variables). */
    readonly key: string,
    readonly value: string,
  ) {}

  get fullName(): string {
    return this.key === '' ? this.coll : `${this.coll}:${this.key}`;
  }
}

/** A collection that may hold a key several times (ARGS, REQUEST_HEADERS, FILES, ...). */
export class MultiCollection {
  readonly entries: VarValue[] = [];
  private index: Map<string, VarValue[]> | undefined = undefined;

  constructor(readonly name: string) {}

  add(key: string, value: string): VarValue {
    const v = new VarValue(this.name, key, value);
    this.push(v);
    return v;
  }

  push(v: VarValue): void {
    this.entries.push(v);
    if (this.index !== undefined) {
      const k = v.key.toLowerCase();
      const list = this.index.get(k);
      if (list) list.push(v);
      else this.index.set(k, [v]);
    }
  }

  /** Entries whose key equals `lowerKey` (already lower-cased). */
  get(lowerKey: string): VarValue[] | undefined {
    if (this.index === undefined) {
      const idx = new Map<string, VarValue[]>();
      for (const v of this.entries) {
        const k = v.key.toLowerCase();
        const list = idx.get(k);
        if (list) list.push(v);
        else idx.set(k, [v]);
      }
      this.index = idx;
    }
    return this.index.get(lowerKey);
  }

  first(lowerKey: string): string | undefined {
    return this.get(lowerKey)?.[0]?.value;
  }

  get size(): number {
    return this.entries.length;
  }
}

/** A collection with unique keys whose values change (TX, persistent collections, ENV). */
export class KeyedCollection {
  readonly map = new Map<string, VarValue>();
  constructor(readonly name: string) {}

  set(key: string, value: string): void {
    const k = key.toLowerCase();
    const old = this.map.get(k);
    // A new VarValue on change keeps transformation caches valid; same value keeps the cache.
    if (old !== undefined && old.value === value) return;
    this.map.set(k, new VarValue(this.name, old !== undefined ? old.key : key, value));
  }

  get(key: string): string | undefined {
    return this.map.get(key.toLowerCase())?.value;
  }

  getVar(lowerKey: string): VarValue | undefined {
    return this.map.get(lowerKey);
  }

  delete(key: string): void {
    this.map.delete(key.toLowerCase());
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * A reusable list of selected values: `n` counts the live entries, so starting over is `n = 0`
 * (truncating an array's length is a runtime call in V8, and a fresh array per rule is garbage).
 * Entries past `n` are stale and never read.
 */
export class ValueList {
  items: VarValue[] = [];
  n = 0;

  add(v: VarValue): void {
    this.items[this.n++] = v;
  }
}
