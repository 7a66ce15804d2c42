// Evaluator-side fast paths for hot pure builtins whose operands are mostly the same few strings
// across evaluations. A fast path answers only the plain success case from operands it has already
// parsed, and returns undefined for everything else, which then goes to the builtin itself (so
// type errors, messages and odd operands keep the builtin's behaviour).
//
// net.cidr_contains(cidr, ip) in an allow-list loop re-parses every CIDR of the list, and the same
// input address once per CIDR, on each evaluation; the results are keyed by (cidr, ip), so a result
// memo does not help when addresses vary. Here each CIDR text is parsed once (bounded table) and the
// last address text is remembered, which is the same address for the whole loop. Parsed addresses
// are also kept in a two-generation table (a gateway sees the same clients again), so a hot address
// stays while a scan of new ones only turns the generations over.
import type { BuiltinDef } from '../builtins/registry.js';
import { type IPAddr, type IPNet, parseCIDR, parseIP, to4 } from '../builtins/cidr.js';
import type { Value } from '../value.js';

export type FastPath = (args: Value[]) => Value | undefined;

const NETS_MAX = 1024;
const IPS_MAX = 4096;

/** A network ready for matching: Go's rule that an IPv4-mapped network is an IPv4 one applied,
 *  and its mask computed once (BigInt masks are what cidr.ts's netContains spends its time on). */
interface Matcher {
  bits: 32 | 128;
  mask: bigint;
  v: bigint;
}

function matcherOf(n: IPNet): Matcher {
  let ip = n.ip;
  let prefix = n.prefix;
  if (ip.bits === 128) {
    const v4 = to4(ip);
    if (v4) {
      ip = v4;
      prefix = Math.max(0, prefix - 96);
    }
  }
  const all = (1n << BigInt(ip.bits)) - 1n;
  return { bits: ip.bits, mask: all ^ ((1n << BigInt(ip.bits - prefix)) - 1n), v: ip.v };
}

/** An address as matched: IPv4-mapped IPv6 counts as IPv4. */
function matchForm(s: string): IPAddr | null {
  const ip = parseIP(s);
  return ip === null ? null : (to4(ip) ?? ip);
}

function ipTable(): (s: string) => IPAddr | null {
  let cur = new Map<string, IPAddr | null>();
  let old = new Map<string, IPAddr | null>();
  return (s) => {
    let ip = cur.get(s);
    if (ip !== undefined) return ip;
    ip = old.get(s);
    if (ip === undefined) ip = matchForm(s);
    if (cur.size >= IPS_MAX) {
      old = cur;
      cur = new Map();
    }
    cur.set(s, ip);
    return ip;
  };
}

function cidrContainsFast(): FastPath {
  const nets = new Map<string, Matcher | null>();
  const ipOf = ipTable();
  let lastText = '';
  let lastIP: IPAddr | null = null;
  return (args) => {
    const a = args[0];
    const b = args[1];
    if (typeof a !== 'string' || typeof b !== 'string') return undefined;
    let net = nets.get(a);
    if (net === undefined) {
      try {
        net = matcherOf(parseCIDR(a).net);
      } catch {
        net = null;
      }
      if (nets.size >= NETS_MAX) nets.clear();
      nets.set(a, net);
    }
    if (net === null) return undefined;
    if (b !== lastText) {
      lastIP = ipOf(b);
      lastText = b;
    }
    // Not an address: b may be a CIDR, which the builtin handles.
    if (lastIP === null) return undefined;
    return lastIP.bits === net.bits && (lastIP.v & net.mask) === net.v;
  };
}

const FAST: Record<string, () => FastPath> = {
  'net.cidr_contains': cidrContainsFast,
};

const made = new Map<string, FastPath>();

/** The shared fast path of a builtin, or null. */
export function fastPathFor(def: BuiltinDef): FastPath | null {
  const mk = FAST[def.name];
  if (mk === undefined || def.nondeterministic) return null;
  let f = made.get(def.name);
  if (f === undefined) made.set(def.name, (f = mk()));
  return f;
}
