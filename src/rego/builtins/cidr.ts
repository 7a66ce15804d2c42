// IP address and CIDR arithmetic with Go's net package semantics (what OPA's net.* builtins use).
//
// An address is held in Go's 16-byte form as four unsigned 32-bit words (IPv4 as ::ffff:a.b.c.d),
// so parsing, matching and printing are plain number arithmetic; the BigInt value (`v`) that range
// merging and expansion need is computed on first use only. An address remembers the width it was
// written in: dotted IPv4 text is 32 bits, IPv6 text is 128 bits (possibly an IPv4-mapped
// ::ffff:a.b.c.d, which Go treats as IPv4 when matching and printing).

export class IPAddr {
  private big: bigint | undefined = undefined;
  constructor(
    readonly bits: 32 | 128,
    /** The 128-bit form, most significant word first, each word unsigned 32-bit. */
    readonly w0: number,
    readonly w1: number,
    readonly w2: number,
    readonly w3: number,
  ) {}

  /** IPv4 or IPv4-mapped IPv6 (Go's To4 succeeds). */
  get mapped(): boolean {
    return this.w0 === 0 && this.w1 === 0 && this.w2 === 0xffff;
  }

  /** The address as an integer in its own width (32 or 128 bits). */
  get v(): bigint {
    if (this.big === undefined) {
      this.big =
        this.bits === 32
          ? BigInt(this.w3)
          : (BigInt(this.w0) << 96n) | (BigInt(this.w1) << 64n) | (BigInt(this.w2) << 32n) | BigInt(this.w3);
    }
    return this.big;
  }
}

export function ipv4(n: number): IPAddr {
  return new IPAddr(32, 0, 0, 0xffff, n >>> 0);
}

/** An address from its integer value in the given width. */
export function addrFromBig(v: bigint, bits: 32 | 128): IPAddr {
  if (bits === 32) return ipv4(Number(v & V4_MASK));
  return new IPAddr(
    128,
    Number((v >> 96n) & V4_MASK),
    Number((v >> 64n) & V4_MASK),
    Number((v >> 32n) & V4_MASK),
    Number(v & V4_MASK),
  );
}

/** A network: the address as written with host bits cleared, and what matching needs ready-made
 *  (Go's networkNumberAndMask: an IPv4-mapped network is an IPv4 one). */
export interface IPNet {
  /** The network address (host bits cleared), in the width the CIDR was written in. */
  ip: IPAddr;
  prefix: number;
  /** The network is IPv4 (also when written IPv4-mapped): it holds IPv4 addresses only. */
  v4: boolean;
  /** The mask over the 128-bit form, per word. */
  m0: number;
  m1: number;
  m2: number;
  m3: number;
}

const MAPPED_PREFIX = 0xffffn;
const V4_MASK = 0xffffffffn;

/** The mask word for bits [32*i, 32*i+32) of a prefix of p bits. */
function maskWord(p: number, i: number): number {
  const k = p - 32 * i;
  return k <= 0 ? 0 : k >= 32 ? 0xffffffff : (0xffffffff << (32 - k)) >>> 0;
}

/** The network of prefix bits containing ip. */
export function netOf(ip: IPAddr, prefix: number): IPNet {
  const p = ip.bits === 32 ? prefix + 96 : prefix;
  const m0 = maskWord(p, 0);
  const m1 = maskWord(p, 1);
  const m2 = maskWord(p, 2);
  const m3 = maskWord(p, 3);
  const n = new IPAddr(ip.bits, (ip.w0 & m0) >>> 0, (ip.w1 & m1) >>> 0, (ip.w2 & m2) >>> 0, (ip.w3 & m3) >>> 0);
  return { ip: n, prefix, v4: n.mapped, m0, m1, m2, m3 };
}

/** Go's IP.To4: IPv4 addresses and IPv4-mapped IPv6 addresses as 32-bit, otherwise null. */
export function to4(a: IPAddr): IPAddr | null {
  if (a.bits === 32) return a;
  return a.mapped ? ipv4(a.w3) : null;
}

/** One decimal IPv4 field of s[from, to): 0-255, no leading zeros; -1 if invalid. */
function v4Field(s: string, from: number, to: number): number {
  const len = to - from;
  if (len < 1 || len > 3 || (len > 1 && s.charCodeAt(from) === 48)) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n > 255 ? -1 : n;
}

/** The 32-bit value of dotted-quad IPv4 text in s[from, to), or -1. */
function v4Value(s: string, from: number, to: number): number {
  let v = 0;
  let start = from;
  for (let f = 0; f < 4; f++) {
    let end = f === 3 ? to : s.indexOf('.', start);
    if (end < 0 || end > to) return -1;
    if (f === 3 && s.lastIndexOf('.', to - 1) >= start) end = -1;
    if (end < 0) return -1;
    const n = v4Field(s, start, end);
    if (n < 0) return -1;
    v = v * 256 + n;
    start = end + 1;
  }
  return v;
}

/** Dotted-quad IPv4 as Go accepts it: four decimal fields 0-255, no leading zeros. */
export function parseIPv4(s: string): IPAddr | null {
  const v = v4Value(s, 0, s.length);
  return v < 0 ? null : ipv4(v);
}

/** One 1-4 digit hex group of s[from, to), or -1. */
function hexGroup(s: string, from: number, to: number): number {
  const len = to - from;
  if (len < 1 || len > 4) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return -1;
    n = n * 16 + d;
  }
  return n;
}

/** The 16-bit groups of s[from, to) appended to out (an IPv4 tail, if allowed, as two groups);
 *  false if a field is invalid. An empty range has no groups. */
function v6Groups(s: string, from: number, to: number, allowV4Tail: boolean, out: number[]): boolean {
  if (from === to) return true;
  let start = from;
  for (;;) {
    let end = s.indexOf(':', start);
    if (end < 0 || end > to) end = to;
    if (end === to && allowV4Tail && s.lastIndexOf('.', to - 1) >= start) {
      const v = v4Value(s, start, to);
      if (v < 0) return false;
      out.push(v >>> 16, v & 0xffff);
      return true;
    }
    const g = hexGroup(s, start, end);
    if (g < 0) return false;
    out.push(g);
    if (end === to) return true;
    start = end + 1;
  }
}

function groupWord(g: number[], i: number): number {
  return ((g[i] as number) * 0x10000 + (g[i + 1] as number)) >>> 0;
}

/** IPv6 text (RFC 4291) as Go accepts it: one optional "::" standing for at least one zero group,
 *  an optional trailing dotted IPv4 part, no zone. */
export function parseIPv6(s: string): IPAddr | null {
  if (s.length === 0 || s.includes('%')) return null;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return null;
  const g: number[] = [];
  if (dbl >= 0) {
    if (!v6Groups(s, 0, dbl, false, g)) return null;
    const head = g.length;
    if (!v6Groups(s, dbl + 2, s.length, true, g) || g.length > 7) return null;
    // The "::" stands for the missing zero groups, between head and tail.
    while (g.length < 8) g.splice(head, 0, 0);
  } else if (!v6Groups(s, 0, s.length, true, g) || g.length !== 8) return null;
  return new IPAddr(128, groupWord(g, 0), groupWord(g, 2), groupWord(g, 4), groupWord(g, 6));
}

/** Go's net.ParseIP. */
export function parseIP(s: string): IPAddr | null {
  return s.includes(':') ? parseIPv6(s) : parseIPv4(s);
}

export class CIDRError extends Error {}

function badCIDR(s: string): CIDRError {
  return new CIDRError(`invalid CIDR address: ${s}`);
}

/** Go's net.ParseCIDR: the address as written plus the masked network. */
export function parseCIDR(s: string): { ip: IPAddr; net: IPNet } {
  const slash = s.indexOf('/');
  if (slash < 0) throw badCIDR(s);
  const ip = parseIP(s.slice(0, slash));
  // The prefix length: one to eight decimal digits, at most the address width.
  const digits = s.length - slash - 1;
  if (!ip || digits < 1 || digits > 8) throw badCIDR(s);
  let prefix = 0;
  for (let i = slash + 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw badCIDR(s);
    prefix = prefix * 10 + d;
  }
  if (prefix > ip.bits) throw badCIDR(s);
  return { ip, net: netOf(ip, prefix) };
}

/** Go's IPNet.Contains: an IPv4 network holds IPv4 (and IPv4-mapped) addresses only, an IPv6
 *  network IPv6 addresses only. */
export function netContains(n: IPNet, a: IPAddr): boolean {
  const ip = n.ip;
  return (
    a.mapped === n.v4 &&
    (a.w3 & n.m3) >>> 0 === ip.w3 &&
    (a.w2 & n.m2) >>> 0 === ip.w2 &&
    (a.w1 & n.m1) >>> 0 === ip.w1 &&
    (a.w0 & n.m0) >>> 0 === ip.w0
  );
}

export function lastAddr(n: IPNet): IPAddr {
  const ip = n.ip;
  return new IPAddr(ip.bits, (ip.w0 | ~n.m0) >>> 0, (ip.w1 | ~n.m1) >>> 0, (ip.w2 | ~n.m2) >>> 0, (ip.w3 | ~n.m3) >>> 0);
}

/** Go's IP.String: dotted for IPv4 (and IPv4-mapped), RFC 5952 text otherwise. */
export function formatIP(a: IPAddr): string {
  if (a.mapped) {
    const v = a.w3;
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const groups = [a.w0, a.w1, a.w2, a.w3].flatMap((w) => [w >>> 16, w & 0xffff]);
  // The longest run of two or more zero groups collapses to "::" (the first one on a tie).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

/** An address held as Go's net.IP bytes (4 or 16 of them, as in certificates), or null. */
export function ipFromBytes(b: Uint8Array): IPAddr | null {
  const word = (i: number) =>
    (((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number)) >>> 0;
  if (b.length === 4) return ipv4(word(0));
  if (b.length === 16) return new IPAddr(128, word(0), word(4), word(8), word(12));
  return null;
}

/** Go's net.IP.String() over the raw bytes: "<nil>" for none, "?" plus hex for other lengths. */
export function ipString(b: Buffer): string {
  if (b.length === 0) return '<nil>';
  const a = ipFromBytes(b);
  return a ? formatIP(a) : `?${b.toString('hex')}`;
}

/** Go's IP.Equal: an IPv4 address equals its IPv4-mapped IPv6 form (both hold the same 16 bytes). */
export function ipEqual(a: IPAddr, b: IPAddr): boolean {
  return a.w0 === b.w0 && a.w1 === b.w1 && a.w2 === b.w2 && a.w3 === b.w3;
}

/** Go's IPNet.String. */
export function formatNet(n: IPNet): string {
  const prefix = n.v4 && n.ip.bits === 128 ? Math.max(0, n.prefix - 96) : n.prefix;
  return `${formatIP(n.ip)}/${prefix}`;
}

/** Go's IP.DefaultMask prefix for an IPv4 address (classful: A /8, B /16, C and above /24). */
export function defaultPrefix(v4: IPAddr): number {
  const first = v4.w3 >>> 24;
  return first < 0x80 ? 8 : first < 0xc0 ? 16 : 24;
}

/** An address range in the 128-bit space, IPv4 mapped to ::ffff:a.b.c.d as OPA's merge does. */
export interface Range {
  first: bigint;
  last: bigint;
  /** The text of the network when the range still stands for one input unchanged. */
  text: string | null;
}

const MAPPED_BASE = MAPPED_PREFIX << 32n;

export function toRange(n: IPNet, text: string): Range {
  const last = lastAddr(n);
  if (n.ip.bits === 32) return { first: MAPPED_BASE | n.ip.v, last: MAPPED_BASE | last.v, text };
  return { first: n.ip.v, last: last.v, text };
}

/** The fewest CIDR blocks covering exactly [first, last]; IPv4-mapped ranges come out as IPv4. */
export function rangeToCIDRs(first: bigint, last: bigint): string[] {
  const v4 = first >> 32n === MAPPED_PREFIX && last >> 32n === MAPPED_PREFIX;
  const bits = v4 ? 32 : 128;
  let lo = v4 ? first & V4_MASK : first;
  const hi = v4 ? last & V4_MASK : last;
  const out: string[] = [];
  while (lo <= hi) {
    let size = 0;
    while (size < bits) {
      const block = 1n << BigInt(size + 1);
      if (lo % block !== 0n || lo + block - 1n > hi) break;
      size++;
    }
    out.push(formatNet(netOf(addrFromBig(lo, bits), bits - size)));
    lo += 1n << BigInt(size);
  }
  return out;
}

/** OPA's net.cidr_merge: sort by (last, first), fold each range into its predecessor when they
 *  touch or overlap, and print untouched inputs as they were parsed. */
export function mergeRanges(ranges: Range[]): string[] {
  const rs = [...ranges].sort((a, b) =>
    a.last !== b.last ? (a.last < b.last ? -1 : 1) : a.first < b.first ? -1 : a.first > b.first ? 1 : 0,
  );
  for (let i = rs.length - 1; i > 0; i--) {
    const cur = rs[i] as Range;
    const prev = rs[i - 1] as Range;
    const before = cur.first === 0n || cur.first === MAPPED_BASE ? cur.first : cur.first - 1n;
    if (before <= prev.last) {
      // biome-ignore lint/complexity/useMathMinMax: bigint operands
      const first = prev.first < cur.first ? prev.first : cur.first;
      rs[i - 1] = { first, last: cur.last, text: null };
      rs.splice(i, 1);
    }
  }
  return rs.flatMap((r) => (r.text !== null ? [r.text] : rangeToCIDRs(r.first, r.last)));
}
