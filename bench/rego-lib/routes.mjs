// The gateway's access model, the one source the three engines' policies are written from:
// 100 routes (method + path glob + roles allowed), the JWT expectations and the IP allow-list.
//
// Globs use the glob.match syntax with "/" as the delimiter: `*` is one path segment (any run of
// characters but "/", possibly empty), `**` any run of characters. A pattern either has only `*`
// wildcards or is a literal prefix followed by one trailing `**`. That restriction is what keeps
// the Cedar translation exact: Cedar's `like` has one wildcard that also crosses "/", so a
// single-segment `*` becomes `like` plus a "no more slashes than the pattern has" guard (see
// policies.mjs), which is only exact for these two shapes.

export const ISSUER = 'https://id.example.com/';
export const AUDIENCE = 'shieldx-gateway';

/** Networks requests may come from (the gateway's trusted clients: offices, VPN, partners). */
export const ALLOWED_NETWORKS = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '203.0.113.0/24',
  '198.51.100.128/25',
  '2001:db8::/32',
  'fd00::/8',
];

export const RESOURCES = [
  'orders',
  'invoices',
  'customers',
  'products',
  'inventory',
  'shipments',
  'payments',
  'refunds',
  'reports',
  'accounts',
  'teams',
  'projects',
  'tickets',
  'comments',
  'files',
  'webhooks',
  'audit-logs',
  'billing',
  'settings',
  'metrics',
];

/** Roles: per resource a reader, a writer and an admin; plus two global ones. */
export const GLOBAL_ROLES = ['admin', 'auditor'];
export const ROLES = [...GLOBAL_ROLES, ...RESOURCES.flatMap((r) => [`${r}-reader`, `${r}-writer`, `${r}-admin`])];

/**
 * The routes: five per resource. `methods` null means any method. `name` is what the policies
 * print as a comment; `roles` are the roles allowed (any one suffices).
 */
function buildRoutes() {
  const routes = [];
  for (const [i, r] of RESOURCES.entries()) {
    const base = `/api/v1/${r}`;
    const readers = [`${r}-reader`, `${r}-writer`, `${r}-admin`, 'auditor', 'admin'];
    const writers = [`${r}-writer`, `${r}-admin`, 'admin'];
    routes.push({ name: `${r}.list`, methods: ['GET'], glob: base, roles: readers });
    routes.push({ name: `${r}.read`, methods: ['GET'], glob: `${base}/*`, roles: readers });
    routes.push({ name: `${r}.create`, methods: ['POST'], glob: base, roles: writers });
    routes.push({ name: `${r}.update`, methods: ['PUT', 'PATCH'], glob: `${base}/*`, roles: writers });
    // The fifth route varies, so that the set has deeper patterns, `**` prefixes and any-method routes.
    switch (i % 5) {
      case 0:
        routes.push({ name: `${r}.delete`, methods: ['DELETE'], glob: `${base}/*`, roles: [`${r}-admin`, 'admin'] });
        break;
      case 1:
        routes.push({ name: `${r}.history`, methods: ['GET'], glob: `${base}/*/history`, roles: ['auditor', 'admin'] });
        break;
      case 2:
        routes.push({ name: `${r}.static`, methods: ['GET'], glob: `/static/${r}/**`, roles: readers });
        break;
      case 3:
        routes.push({ name: `${r}.action`, methods: ['POST'], glob: `${base}/*/actions/*`, roles: writers });
        break;
      default:
        routes.push({ name: `${r}.admin`, methods: null, glob: `/admin/${r}/**`, roles: [`${r}-admin`, 'admin'] });
    }
  }
  return routes;
}

export const ROUTES = buildRoutes();

/** The shape of a glob, checked once so that every engine's translation is exact (see the header). */
export function globShape(glob) {
  if (!glob.includes('*')) return 'literal';
  if (glob.endsWith('/**') && !glob.slice(0, -3).includes('*')) return 'prefix';
  if (!glob.includes('**')) return 'segments';
  throw new Error(`route glob "${glob}": only literal, trailing-/** or single-* patterns are supported`);
}

for (const r of ROUTES) globShape(r.glob);
if (ROUTES.length !== 100) throw new Error(`expected 100 routes, have ${ROUTES.length}`);
