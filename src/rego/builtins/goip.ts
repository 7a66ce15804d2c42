// Go's net.IP text forms: String() for JSON output of certificate IPs and ParseIP for matching.

function v4String(b: Buffer | number[], off: number): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
}

function isV4InV6(b: Buffer): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

/** Go's net.IP.String(): dotted quad for 4-byte and v4-mapped addresses, RFC 5952 for IPv6,
 *  "?" plus hex for other lengths, "<nil>" for none. */
export function ipString(b: Buffer): string {
  if (b.length === 0) return '<nil>';
  if (b.length === 4) return v4String(b, 0);
  if (b.length !== 16) return `?${b.toString('hex')}`;
  if (isV4InV6(b)) return v4String(b, 12);
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] as number) << 8) | (b[i + 1] as number));
  // Longest run of two or more zero groups becomes "::" (the first one on ties).
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s !== '' && !s.endsWith(':')) s += ':';
    s += (groups[i] as number).toString(16);
  }
  return s;
}

function parseV4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/** Go's net.ParseIP: a 16-byte address (IPv4 as v4-mapped), or null. Zones are rejected. */
export function parseIP(s: string): Buffer | null {
  const v4 = parseV4(s);
  if (v4) return Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  if (!s.includes(':')) return null;
  let tail: number[] = [];
  let body = s;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const t = parseV4(s.slice(lastColon + 1));
    if (!t) return null;
    tail = [(t[0] as number) * 256 + (t[1] as number), (t[2] as number) * 256 + (t[3] as number)];
    const prefix = s.slice(0, lastColon + 1);
    body = prefix.endsWith('::') ? prefix : prefix.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0] as string);
  const rest = halves.length === 2 ? parse(halves[1] as string) : [];
  if (!head || !rest) return null;
  const total = head.length + rest.length + tail.length;
  let groups: number[];
  if (halves.length === 2) {
    if (total > 7) return null;
    groups = [...head, ...new Array(8 - total).fill(0), ...rest, ...tail];
  } else {
    if (total !== 8) return null;
    groups = [...head, ...tail];
  }
  const b = Buffer.alloc(16);
  for (let i = 0; i < 8; i++) b.writeUInt16BE(groups[i] as number, i * 2);
  return b;
}

/** 16-byte form of a 4- or 16-byte address (Go's To16). */
export function to16(b: Buffer): Buffer | null {
  if (b.length === 16) return b;
  if (b.length === 4) return Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...b]);
  return null;
}

/** Go's IP.Equal. */
export function ipEqual(a: Buffer, b: Buffer): boolean {
  const x = to16(a);
  const y = to16(b);
  return x !== null && y !== null && x.equals(y);
}
