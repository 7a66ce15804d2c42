// IP address and CIDR arithmetic with Go's net package semantics (what OPA's net.* builtins use),
// on BigInt so IPv4 and IPv6 share one code path.
//
// An address remembers the width it was written in: dotted IPv4 text is 32 bits, IPv6 text is 128
// bits (possibly an IPv4-mapped ::ffff:a.b.c.d, which Go treats as IPv4 when matching and printing).

export interface IPAddr {
  v: bigint;
  bits: 32 | 128;
}

export interface IPNet {
  /** The network address (host bits cleared), in the width the CIDR was written in. */
  ip: IPAddr;
  prefix: number;
}

const MAPPED_PREFIX = 0xffffn;
const V4_MASK = 0xffffffffn;

function maskOf(prefix: number, bits: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

/** Go's IP.To4: IPv4 addresses and IPv4-mapped IPv6 addresses as 32-bit, otherwise null. */
export function to4(a: IPAddr): IPAddr | null {
  if (a.bits === 32) return a;
  return a.v >> 32n === MAPPED_PREFIX ? { v: a.v & V4_MASK, bits: 32 } : null;
}

/** Dotted-quad IPv4 as Go accepts it: four decimal fields 0-255, no leading zeros. */
export function parseIPv4(s: string): IPAddr | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0n;
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = (v << 8n) | BigInt(n);
  }
  return { v, bits: 32 };
}

/** IPv6 text (RFC 4291) as Go accepts it: one optional "::" standing for at least one zero group,
 *  an optional trailing dotted IPv4 part, no zone. */
export function parseIPv6(s: string): IPAddr | null {
  if (s.length === 0 || s.includes('%')) return null;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return null;
  const parseGroups = (part: string, allowV4Tail: boolean): bigint[] | null => {
    if (part === '') return [];
    const fields = part.split(':');
    const out: bigint[] = [];
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] as string;
      if (allowV4Tail && i === fields.length - 1 && f.includes('.')) {
        const v4 = parseIPv4(f);
        if (!v4) return null;
        out.push(v4.v >> 16n, v4.v & 0xffffn);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(f)) return null;
      out.push(BigInt(Number.parseInt(f, 16)));
    }
    return out;
  };
  let groups: bigint[];
  if (dbl >= 0) {
    const head = parseGroups(s.slice(0, dbl), false);
    const tail = parseGroups(s.slice(dbl + 2), true);
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<bigint>(8 - head.length - tail.length).fill(0n), ...tail];
  } else {
    const all = parseGroups(s, true);
    if (all?.length !== 8) return null;
    groups = all;
  }
  let v = 0n;
  for (const g of groups) v = (v << 16n) | g;
  return { v, bits: 128 };
}

/** Go's net.ParseIP. */
export function parseIP(s: string): IPAddr | null {
  return s.includes(':') ? parseIPv6(s) : parseIPv4(s);
}

export class CIDRError extends Error {}

/** Go's net.ParseCIDR: the address as written plus the masked network. */
export function parseCIDR(s: string): { ip: IPAddr; net: IPNet } {
  const slash = s.indexOf('/');
  const bad = () => new CIDRError(`invalid CIDR address: ${s}`);
  if (slash < 0) throw bad();
  const ip = parseIP(s.slice(0, slash));
  const m = s.slice(slash + 1);
  if (!ip || !/^[0-9]{1,8}$/.test(m)) throw bad();
  const prefix = Number(m);
  if (prefix > ip.bits) throw bad();
  return { ip, net: { ip: { v: ip.v & maskOf(prefix, ip.bits), bits: ip.bits }, prefix } };
}

/** Go's networkNumberAndMask: an IPv4-mapped network is an IPv4 one (mask keeps its low 32 bits). */
function normalizeNet(n: IPNet): IPNet {
  if (n.ip.bits === 128) {
    const v4 = to4(n.ip);
    if (v4) return { ip: v4, prefix: Math.max(0, n.prefix - 96) };
  }
  return n;
}

export function netContains(n: IPNet, addr: IPAddr): boolean {
  const nn = normalizeNet(n);
  const a = to4(addr) ?? addr;
  if (a.bits !== nn.ip.bits) return false;
  return (a.v & maskOf(nn.prefix, nn.ip.bits)) === nn.ip.v;
}

export function lastAddr(n: IPNet): IPAddr {
  return { v: n.ip.v | ((1n << BigInt(n.ip.bits - n.prefix)) - 1n), bits: n.ip.bits };
}

/** Go's IP.String: dotted for IPv4 (and IPv4-mapped), RFC 5952 text otherwise. */
export function formatIP(a: IPAddr): string {
  const v4 = to4(a);
  if (v4) {
    const v = Number(v4.v);
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((a.v >> BigInt(i * 16)) & 0xffffn));
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
  if (b.length !== 4 && b.length !== 16) return null;
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return { v, bits: b.length === 4 ? 32 : 128 };
}

/** Go's net.IP.String() over the raw bytes: "<nil>" for none, "?" plus hex for other lengths. */
export function ipString(b: Buffer): string {
  if (b.length === 0) return '<nil>';
  const a = ipFromBytes(b);
  return a ? formatIP(a) : `?${b.toString('hex')}`;
}

/** Go's IP.Equal: an IPv4 address equals its IPv4-mapped IPv6 form. */
export function ipEqual(a: IPAddr, b: IPAddr): boolean {
  const x = to4(a) ?? a;
  const y = to4(b) ?? b;
  return x.bits === y.bits && x.v === y.v;
}

/** Go's IPNet.String. */
export function formatNet(n: IPNet): string {
  const nn = normalizeNet(n);
  return `${formatIP(nn.ip)}/${nn.prefix}`;
}

/** Go's IP.DefaultMask prefix for an IPv4 address (classful: A /8, B /16, C and above /24). */
export function defaultPrefix(v4: IPAddr): number {
  const first = Number(v4.v >> 24n);
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
    out.push(formatNet({ ip: { v: lo, bits }, prefix: bits - size }));
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
