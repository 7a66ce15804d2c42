// IP allow-list for the hand-written decision: addresses parsed to numbers, networks as
// (value, mask) pairs. Hand-written because Node's net.BlockList.check allocates a SocketAddress per
// call (several µs on Node 20): a developer tuning a gateway's hot path would not keep it there.
// IPv4 as one uint32; IPv6 as four uint32 words. Dotted IPv4 tails in IPv6 and zone ids are not
// accepted (a socket's remote address has neither).

/** "a.b.c.d" → uint32, or -1. Octets are decimal 0..255 without leading zeros. */
export function parseIPv4(s) {
  let n = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return n * 256 + octet;
}

/** IPv6 text → [w0, w1, w2, w3] (uint32 words), or null. */
export function parseIPv6(s) {
  const gap = s.indexOf('::');
  if (gap !== s.lastIndexOf('::') && gap >= 0) return null;
  const groups = (part) => (part === '' ? [] : part.split(':'));
  const head = groups(gap < 0 ? s : s.slice(0, gap));
  const tail = gap < 0 ? [] : groups(s.slice(gap + 2));
  const total = head.length + tail.length;
  if (gap < 0 ? total !== 8 : total > 7) return null;
  const all = [...head, ...new Array(8 - total).fill('0'), ...tail];
  const words = [0, 0, 0, 0];
  for (let i = 0; i < 8; i++) {
    const g = all[i];
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    const v = Number.parseInt(g, 16);
    words[i >> 1] = i & 1 ? (words[i >> 1] | v) >>> 0 : (v << 16) >>> 0;
  }
  return words;
}

function maskWord(bits) {
  if (bits <= 0) return 0;
  if (bits >= 32) return 0xffffffff;
  return (0xffffffff << (32 - bits)) >>> 0;
}

/** An allow-list from CIDR strings; contains(ip) is false for anything that is not an address. */
export function makeAllowList(cidrs) {
  const v4 = [];
  const v6 = [];
  for (const cidr of cidrs) {
    const [addr, len] = cidr.split('/');
    const bits = Number(len);
    if (addr.includes(':')) {
      const w = parseIPv6(addr);
      if (w === null || !(bits >= 0 && bits <= 128)) throw new Error(`bad network ${cidr}`);
      const mask = [0, 1, 2, 3].map((i) => maskWord(bits - 32 * i));
      v6.push({ mask, net: w.map((x, i) => (x & mask[i]) >>> 0) });
    } else {
      const a = parseIPv4(addr);
      if (a < 0 || !(bits >= 0 && bits <= 32)) throw new Error(`bad network ${cidr}`);
      const mask = maskWord(bits);
      v4.push({ mask, net: (a & mask) >>> 0 });
    }
  }
  return {
    contains(ip) {
      if (typeof ip !== 'string') return false;
      if (ip.includes(':')) {
        const w = parseIPv6(ip);
        if (w === null) return false;
        for (const n of v6)
          if (
            (w[0] & n.mask[0]) >>> 0 === n.net[0] &&
            (w[1] & n.mask[1]) >>> 0 === n.net[1] &&
            (w[2] & n.mask[2]) >>> 0 === n.net[2] &&
            (w[3] & n.mask[3]) >>> 0 === n.net[3]
          )
            return true;
        return false;
      }
      const a = parseIPv4(ip);
      if (a < 0) return false;
      for (const n of v4) if ((a & n.mask) >>> 0 === n.net) return true;
      return false;
    },
  };
}
