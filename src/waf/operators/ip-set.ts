// IPv4 / IPv6 address sets for @ipMatch and @ipMatchFromFile (not an operator itself). Entries are
// addresses or CIDR networks; host bits beyond the prefix are ignored, as in ModSecurity's IP tree.
// The two families are kept apart: an IPv4-mapped IPv6 input (::ffff:1.2.3.4) is an IPv6 address.

/** Parses dotted-quad IPv4 like inet_pton: four decimal parts 0-255, no leading zeros. */
export function parseIPv4(s: string): number | null {
  let value = 0;
  let part = -1;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return null; // leading zero
      part = Math.max(part, 0) * 10 + (c - 48);
      if (++digits > 3 || part > 255) return null;
    } else if (c === 46) {
      if (digits === 0 || ++parts > 4) return null;
      value = value * 256 + part;
      part = -1;
      digits = 0;
    } else return null;
  }
  return parts === 4 ? value : null;
}

/** Parses IPv6 text (with ::, and an IPv4 tail) into 16 bytes; null when invalid (no zone ids). */
export function parseIPv6(s: string): Uint8Array | null {
  const out = new Uint8Array(16);
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (text: string): number[] | null => {
    if (text === '') return [];
    const words: number[] = [];
    const parts = text.split(':');
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k];
      if (k === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4(p);
        if (v4 === null) return null;
        words.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!/^[0-9A-Fa-f]{1,4}$/.test(p)) return null;
        words.push(Number.parseInt(p, 16));
      }
    }
    return words;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (head === null || tail === null) return null;
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  const words = [...head, ...new Array<number>(8 - total).fill(0), ...tail];
  words.forEach((w, k) => {
    out[2 * k] = w >> 8;
    out[2 * k + 1] = w & 0xff;
  });
  return out;
}

function v4Mask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

function v6Key(addr: Uint8Array, bits: number): string {
  let key = '';
  for (let i = 0; i < 16 && i * 8 < bits; i++) {
    const keep = Math.min(8, bits - i * 8);
    key += String.fromCharCode(addr[i] & ((0xff << (8 - keep)) & 0xff));
  }
  return key;
}

export class IpSet {
  // Networks grouped by prefix length, longest first: a lookup is one Set probe per distinct length.
  private readonly v4 = new Map<number, Set<number>>();
  private readonly v6 = new Map<number, Set<string>>();
  private v4Lengths: number[] = [];
  private v6Lengths: number[] = [];

  /** Adds "addr" or "addr/prefix"; returns an error message for an invalid entry. */
  add(entry: string): string | null {
    const slash = entry.indexOf('/');
    const addr = slash < 0 ? entry : entry.slice(0, slash);
    const prefixText = slash < 0 ? null : entry.slice(slash + 1);
    const v6 = addr.includes(':');
    const max = v6 ? 128 : 32;
    let bits = max;
    if (prefixText !== null) {
      if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return `invalid prefix length in ${JSON.stringify(entry)}`;
      bits = Number(prefixText);
    }
    if (v6) {
      const a = parseIPv6(addr);
      if (a === null) return `invalid IPv6 address ${JSON.stringify(entry)}`;
      let set = this.v6.get(bits);
      if (set === undefined) this.v6.set(bits, (set = new Set()));
      set.add(v6Key(a, bits));
      this.v6Lengths = [...this.v6.keys()].sort((x, y) => y - x);
    } else {
      const a = parseIPv4(addr);
      if (a === null) return `invalid IPv4 address ${JSON.stringify(entry)}`;
      let set = this.v4.get(bits);
      if (set === undefined) this.v4.set(bits, (set = new Set()));
      set.add((a & v4Mask(bits)) >>> 0);
      this.v4Lengths = [...this.v4.keys()].sort((x, y) => y - x);
    }
    return null;
  }

  get empty(): boolean {
    return this.v4.size === 0 && this.v6.size === 0;
  }

  /** True when `ip` (address text) is in one of the networks; invalid text never is. */
  has(ip: string): boolean {
    if (ip.includes(':')) {
      const a = parseIPv6(ip);
      if (a === null) return false;
      for (const bits of this.v6Lengths) if (this.v6.get(bits)!.has(v6Key(a, bits))) return true;
      return false;
    }
    const a = parseIPv4(ip);
    if (a === null) return false;
    for (const bits of this.v4Lengths) if (this.v4.get(bits)!.has((a & v4Mask(bits)) >>> 0)) return true;
    return false;
  }
}

/** Adds a comma-separated list of entries (surrounding blanks ignored); returns the first error. */
export function addIpList(set: IpSet, list: string): string | null {
  for (const raw of list.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const err = set.add(entry);
    if (err !== null) return err;
  }
  return null;
}
