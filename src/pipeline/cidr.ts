// CIDR lists (access rules, trusted proxies) compiled once into a node:net BlockList, which matches
// IPv4 and IPv6 and treats IPv4-mapped IPv6 addresses (::ffff:1.2.3.4) as the IPv4 address they map,
// in both directions — dual-stack listeners report IPv4 clients in that form.
import net from 'node:net';
import { StageConfigError } from './stage.js';

export type IpMatcher = (ip: string) => boolean;

const CACHE_MAX = 4096;

/**
 * Compile CIDRs ("10.0.0.0/8", "2001:db8::/32") and bare addresses ("192.0.2.1", "::1") into a
 * matcher. Host bits beyond the prefix are ignored ("10.1.2.3/8" = "10.0.0.0/8"). Throws
 * StageConfigError naming the first invalid entry. The matcher never throws: a client IP that is
 * not an address (empty, "unknown") matches nothing.
 */
export function compileCidrs(cidrs: readonly string[], configPath: (string | number)[] = []): IpMatcher {
  const list = new net.BlockList();
  for (let i = 0; i < cidrs.length; i++) addCidr(list, cidrs[i] as string, [...configPath, i]);
  // BlockList.check builds a native SocketAddress per call; clients repeat, so remember answers
  // (bounded: cleared when full, so many distinct addresses only cost the uncached path).
  const cache = new Map<string, boolean>();
  return (ip) => {
    const hit = cache.get(ip);
    if (hit !== undefined) return hit;
    // Addresses with a zone ("fe80::1%eth0") are matched without it.
    const pct = ip.indexOf('%');
    const addr = pct === -1 ? ip : ip.slice(0, pct);
    let r: boolean;
    try {
      r = list.check(addr, addr.includes(':') ? 'ipv6' : 'ipv4');
    } catch {
      r = false;
    }
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(ip, r);
    return r;
  };
}

function addCidr(list: net.BlockList, raw: string, path: (string | number)[]): void {
  const entry = typeof raw === 'string' ? raw.trim() : '';
  const slash = entry.indexOf('/');
  const addr = slash === -1 ? entry : entry.slice(0, slash);
  const family = net.isIP(addr);
  if (family === 0) throw new StageConfigError(`invalid CIDR "${String(raw)}": "${addr}" is not an IP address`, path);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (slash === -1) {
    list.addAddress(addr, type);
    return;
  }
  const prefixStr = entry.slice(slash + 1);
  const prefix = Number(prefixStr);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixStr) || prefix > max)
    throw new StageConfigError(`invalid CIDR "${raw}": prefix length must be 0..${max}`, path);
  list.addSubnet(addr, prefix, type);
}
