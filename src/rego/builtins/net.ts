// net.cidr_* builtins (net.lookup_ip_addr lives in lookup.ts). CIDR and IP text follow Go's net
// package, as OPA does; the arithmetic is in cidr.ts.
import { RObject, RSet, type Value } from '../value.js';
import { builtinErr, oneOfTypes, str, typeErr } from './args.js';
import {
  addrFromBig,
  CIDRError,
  defaultPrefix,
  formatIP,
  formatNet,
  type IPAddr,
  type IPNet,
  lastAddr,
  mergeRanges,
  netContains,
  netOf,
  parseCIDR,
  parseIP,
  type Range,
  to4,
  toRange,
} from './cidr.js';
import { registerBuiltin } from './registry.js';

/** net.cidr_expand refuses ranges with more addresses than this (OPA runs until cancelled). */
export const MAX_EXPAND = 1 << 20;

// Policies match against the same few CIDR texts over and over: parsed networks (or the reason a
// text is not one) are kept in a bounded two-generation table, so hot entries survive a flood of
// new texts, which only turns the generations over.
const NETS_MAX = 1024;
let netsCur = new Map<string, IPNet | string>();
let netsOld = new Map<string, IPNet | string>();

function parsedNet(s: string): IPNet | string {
  let n = netsCur.get(s);
  if (n !== undefined) return n;
  n = netsOld.get(s);
  if (n === undefined) {
    try {
      n = parseCIDR(s).net;
    } catch (e) {
      if (!(e instanceof CIDRError)) throw e;
      n = e.message;
    }
  }
  if (netsCur.size >= NETS_MAX) {
    netsOld = netsCur;
    netsCur = new Map();
  }
  netsCur.set(s, n);
  return n;
}

function cidrOperand(name: string, args: Value[], i: number): IPNet {
  const n = parsedNet(str(args, i, name));
  if (typeof n === 'string') throw builtinErr(name, n);
  return n;
}

// The address operand of an allow-list loop is the same text for every CIDR of the list.
let lastText = '';
let lastIP: IPAddr | null = null;

function addrOf(s: string): IPAddr | null {
  if (s !== lastText) {
    lastIP = parseIP(s);
    lastText = s;
  }
  return lastIP;
}

/** net.cidr_contains on two strings; shared with net.cidr_contains_matches. */
function cidrContains(name: string, a: Value, b: Value): boolean {
  if (typeof a !== 'string') throw typeErr(name, 0, 'string', a);
  const net = parsedNet(a);
  if (typeof net === 'string') throw builtinErr(name, net);
  if (typeof b !== 'string') throw typeErr(name, 0, 'string', b);
  const ip = addrOf(b);
  if (ip !== null) return netContains(net, ip);
  const inner = parsedNet(b);
  if (typeof inner === 'string') throw builtinErr(name, `not a valid textual representation of an IP address or CIDR: ${b}`);
  return netContains(net, inner.ip) && netContains(net, lastAddr(inner));
}

registerBuiltin({
  name: 'net.cidr_contains',
  decl: { args: ['string', 'string'], result: 'boolean' },
  fn: (args) => {
    const a = args[0] as Value;
    const b = args[1] as Value;
    if (typeof b !== 'string') throw typeErr('net.cidr_contains', 1, 'string', b);
    return cidrContains('net.cidr_contains', a, b);
  },
});

registerBuiltin({
  name: 'net.cidr_intersects',
  decl: { args: ['string', 'string'], result: 'boolean' },
  fn: (args) => {
    const a = cidrOperand('net.cidr_intersects', args, 0);
    const b = cidrOperand('net.cidr_intersects', args, 1);
    return netContains(a, b.ip) || netContains(b, a.ip);
  },
});

const MATCHES = 'net.cidr_contains_matches';

/** The (cidr, key) pairs of one net.cidr_contains_matches operand: a string stands for itself;
 *  collection members are strings or non-empty arrays whose first element is the CIDR. */
function matchTerms(operand: number, v: Value): [Value, Value][] {
  const cidrOf = (x: Value): Value => {
    if (typeof x === 'string') return x;
    if (Array.isArray(x) && x.length > 0) return x[0] as Value;
    throw builtinErr(MATCHES, `operand ${operand}: element must be string or non-empty array`);
  };
  if (typeof v === 'string') return [[v, v]];
  if (Array.isArray(v)) return v.map((x, i) => [cidrOf(x), i]);
  if (v instanceof RSet) return v.sorted().map((x) => [cidrOf(x), x]);
  if (v instanceof RObject) return v.sortedKeys().map((k) => [cidrOf(v.get(k) as Value), k]);
  throw typeErr(MATCHES, operand - 1, 'one of {array, object, set, string}', v);
}

registerBuiltin({
  name: MATCHES,
  decl: {
    args: [
      ['string', 'array', 'object', 'set'],
      ['string', 'array', 'object', 'set'],
    ],
    result: 'set',
  },
  fn: (args) => {
    const outer = matchTerms(1, args[0] as Value);
    const inner = matchTerms(2, args[1] as Value);
    const out = new RSet();
    for (const [c1, k1] of outer) {
      for (const [c2, k2] of inner) if (cidrContains(MATCHES, c1, c2)) out.add([k1, k2]);
    }
    return out;
  },
});

registerBuiltin({
  name: 'net.cidr_expand',
  decl: { args: ['string'], result: 'set' },
  fn: (args) => {
    const net = cidrOperand('net.cidr_expand', args, 0);
    const count = 1n << BigInt(net.ip.bits - net.prefix);
    if (count > BigInt(MAX_EXPAND)) throw builtinErr('net.cidr_expand', `CIDR has more than ${MAX_EXPAND} addresses`);
    const out = new RSet();
    for (let i = 0n; i < count; i++) out.add(formatIP(addrFromBig(net.ip.v + i, net.ip.bits)));
    return out;
  },
});

registerBuiltin({
  name: 'net.cidr_is_valid',
  decl: { args: ['string'], result: 'boolean' },
  fn: (args) => {
    const s = args[0];
    if (typeof s !== 'string') return false;
    try {
      parseCIDR(s);
      return true;
    } catch {
      return false;
    }
  },
});

/** One net.cidr_merge element: a CIDR, or an IPv4 address taking its classful default mask (and
 *  printing unmasked if nothing merges with it, as OPA does). */
function mergeRange(x: Value): Range {
  if (typeof x !== 'string') throw builtinErr('net.cidr_merge', 'element must be string');
  const ip = parseIP(x);
  if (ip) {
    const v4 = to4(ip);
    if (!v4) throw builtinErr('net.cidr_merge', 'IPv6 invalid: needs prefix length');
    const prefix = defaultPrefix(v4);
    return toRange(netOf(v4, prefix), `${formatIP(v4)}/${prefix}`);
  }
  try {
    const { net } = parseCIDR(x);
    return toRange(net, formatNet(net));
  } catch (e) {
    if (e instanceof CIDRError) throw builtinErr('net.cidr_merge', e.message);
    throw e;
  }
}

registerBuiltin({
  name: 'net.cidr_merge',
  decl: { args: [['array', 'set']], result: 'set' },
  fn: (args) => {
    const v = oneOfTypes(args, 0, 'net.cidr_merge', ['array', 'set']);
    const items = Array.isArray(v) ? v : (v as RSet).sorted();
    return RSet.from(mergeRanges(items.map(mergeRange)));
  },
});
