// Route table: host + path (prefix, exact, glob) + method → route. First matching route in config
// order wins, so operators control precedence by ordering.
import type { RouteConfig } from '../config/schema.js';
import { compilePathPattern } from '../pipeline/path-pattern.js';

type HostMatcher = (host: string) => boolean;

function compileHosts(hosts: readonly string[]): HostMatcher | undefined {
  if (hosts.length === 0 || hosts.includes('*')) return undefined;
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const h of hosts) {
    const lower = h.toLowerCase();
    if (lower.startsWith('*.')) suffixes.push(lower.slice(1));
    else exact.add(lower);
  }
  return (host) => {
    if (exact.has(host)) return true;
    for (const s of suffixes) if (host.length > s.length && host.endsWith(s)) return true;
    return false;
  };
}

interface CompiledRoute<T> {
  route: RouteConfig;
  host: HostMatcher | undefined;
  path: (p: string) => boolean;
  methods: ReadonlySet<string> | undefined;
  value: T;
}

export class Router<T> {
  private readonly entries: CompiledRoute<T>[];

  constructor(routes: readonly { route: RouteConfig; value: T }[]) {
    this.entries = routes.map(({ route, value }) => ({
      route,
      host: compileHosts(route.match.hosts),
      path: compilePathPattern(route.match.path, route.match.path_type),
      methods: route.match.methods.length ? new Set(route.match.methods) : undefined,
      value,
    }));
  }

  /** host must be lower-case without port. */
  match(host: string, path: string, method: string): T | undefined {
    for (const e of this.entries) {
      if (e.host !== undefined && !e.host(host)) continue;
      if (e.methods !== undefined && !e.methods.has(method)) continue;
      if (!e.path(path)) continue;
      return e.value;
    }
    return undefined;
  }
}

/** Lower-case host without port, from a Host header or :authority. */
export function normalizeHost(raw: string | undefined): string {
  if (!raw) return '';
  let h = raw;
  if (h.charCodeAt(0) === 91 /* [ */) {
    const end = h.indexOf(']');
    h = end > 0 ? h.slice(1, end) : h;
  } else {
    const colon = h.indexOf(':');
    if (colon >= 0) h = h.slice(0, colon);
  }
  return h.toLowerCase();
}
