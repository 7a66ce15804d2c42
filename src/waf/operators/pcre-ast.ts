// Syntax tree for the PCRE → JS RegExp translator (pcre-parse.ts builds it, pcre-guard.ts analyses it,
// pcre.ts emits JS source from it). PCRE here means the 8-bit, non-UTF mode ModSecurity uses: every
// character is one byte, so a character class is a set of byte values 0-255.

/** A set of byte values, 8 words of 32 bits. Case folding is applied by the parser, not here. */
export class ByteSet {
  readonly w = new Uint32Array(8);

  static of(...codes: number[]): ByteSet {
    const s = new ByteSet();
    for (const c of codes) s.add(c);
    return s;
  }

  static range(lo: number, hi: number): ByteSet {
    return new ByteSet().addRange(lo, hi);
  }

  add(c: number): this {
    this.w[c >>> 5] |= 1 << (c & 31);
    return this;
  }

  addRange(lo: number, hi: number): this {
    for (let c = lo; c <= hi; c++) this.add(c);
    return this;
  }

  addSet(o: ByteSet): this {
    for (let i = 0; i < 8; i++) this.w[i] |= o.w[i];
    return this;
  }

  has(c: number): boolean {
    return c < 256 && (this.w[c >>> 5] & (1 << (c & 31))) !== 0;
  }

  negate(): this {
    for (let i = 0; i < 8; i++) this.w[i] = ~this.w[i];
    return this;
  }

  clone(): ByteSet {
    const s = new ByteSet();
    s.w.set(this.w);
    return s;
  }

  intersects(o: ByteSet): boolean {
    for (let i = 0; i < 8; i++) if ((this.w[i] & o.w[i]) !== 0) return true;
    return false;
  }

  size(): number {
    let n = 0;
    for (let c = 0; c < 256; c++) if (this.has(c)) n++;
    return n;
  }

  /** The single member when the set has exactly one, else -1. */
  single(): number {
    let found = -1;
    for (let i = 0; i < 8; i++) {
      const v = this.w[i];
      if (v === 0) continue;
      if (found >= 0 || (v & (v - 1)) !== 0) return -1;
      found = i * 32 + (31 - Math.clz32(v));
    }
    return found;
  }

  /** Adds the other case of every ASCII letter (PCRE's default "C" locale tables fold only ASCII). */
  foldAscii(): this {
    for (let c = 65; c <= 90; c++) {
      if (this.has(c) || this.has(c + 32)) {
        this.add(c);
        this.add(c + 32);
      }
    }
    return this;
  }

  /** Inclusive [lo, hi] runs of members, ascending. */
  ranges(): [number, number][] {
    const out: [number, number][] = [];
    let c = 0;
    while (c < 256) {
      if (!this.has(c)) {
        c++;
        continue;
      }
      const lo = c;
      while (c + 1 < 256 && this.has(c + 1)) c++;
      out.push([lo, c]);
      c++;
    }
    return out;
  }
}

/** Zero-width assertions. `eosnl` is PCRE's default `$`/`\Z` (end, or before a final newline). */
export type AssertKind = 'bos' | 'eos' | 'eosnl' | 'bol' | 'eol' | 'wordb' | 'nwordb';

export type RepeatMode = 'greedy' | 'lazy' | 'possessive';

export type Node =
  | { type: 'empty' }
  | { type: 'chars'; set: ByteSet; offset: number }
  | { type: 'seq'; items: Node[] }
  | { type: 'alt'; alts: Node[] }
  /** index > 0: capturing group number (PCRE numbering); 0: non-capturing. */
  | { type: 'group'; index: number; body: Node; offset: number }
  | { type: 'atomic'; body: Node; offset: number }
  | { type: 'look'; behind: boolean; negate: boolean; body: Node; offset: number }
  | { type: 'repeat'; body: Node; min: number; max: number; mode: RepeatMode; offset: number }
  | { type: 'assert'; kind: AssertKind; offset: number }
  /** \R: CRLF, or one of LF VT FF CR NEL, matched atomically (so CRLF is never split). */
  | { type: 'newline'; offset: number }
  | { type: 'backref'; index: number; name?: string; offset: number };

export interface ParsedPattern {
  root: Node;
  /** Highest capturing group number. */
  groupCount: number;
  /** Group numbers that several groups share (branch reset `(?|...)`). */
  sharedGroups: Set<number>;
}
