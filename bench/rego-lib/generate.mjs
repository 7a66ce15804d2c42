// Deterministic data and inputs for bench/rego: 1,000 users and 10,000 requests as the gateway would
// hand them to the policy (verified JWT claims, client IP, method, path, the current time). Same seed,
// same documents, byte for byte, on every machine.
//
// Each request is built from independent choices, so that every check of the policy is exercised
// alone and in combination: known or unknown user (or a disabled one), a valid token or one that
// is expired, has the wrong audience or issuer, or is missing; an IP inside or outside the
// allow-list (v4 and v6, near the range edges too); a path that hits a route the user's roles
// allow, a route they do not, or no route (wrong version, extra segment, trailing slash, case); the
// route's method or another one.
import { ALLOWED_NETWORKS, AUDIENCE, GLOBAL_ROLES, ISSUER, RESOURCES, ROLES, ROUTES } from './routes.mjs';

export const DEFAULT_SEED = 20240607;
export const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z, seconds; each input's `now` is near it
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** mulberry32: a small, well-mixed 32-bit PRNG; plenty for choosing test inputs. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  };
}

export function userId(i) {
  return `user-${String(i).padStart(4, '0')}`;
}

/** data.users: { "user-0001": { name, active, roles: [...] }, ... } */
export function makeUsers(r, count = 1000) {
  const users = {};
  const resourceRoles = ROLES.filter((x) => !GLOBAL_ROLES.includes(x));
  for (let i = 1; i <= count; i++) {
    const roles = new Set();
    if (r.chance(0.02)) roles.add('admin');
    if (r.chance(0.05)) roles.add('auditor');
    const n = r.int(1, 4);
    while (roles.size < n) roles.add(r.pick(resourceRoles));
    users[userId(i)] = { name: `User ${i}`, active: !r.chance(0.03), roles: [...roles] };
  }
  return users;
}

// ---- paths

function segment(r) {
  switch (r.int(0, 5)) {
    case 0:
      return String(r.int(1, 999999));
    case 1:
      return `ord_${r.int(1000, 99999).toString(36)}`;
    case 2:
      return `${r.int(0, 0xffffffff).toString(16)}-${r.int(0, 0xffff).toString(16)}`;
    case 3:
      return r.pick(['me', 'latest', 'a.b', 'x_y', 'report.pdf', 'v%20w']);
    case 4:
      return r.chance(0.1) ? '' : String(r.int(1, 99)); // an empty segment now and then: `*` matches it
    default:
      return r.pick(['alpha', 'beta', 'gamma', 'delta']) + r.int(0, 9);
  }
}

/** A concrete path the glob matches: each `*` one segment, a trailing `**` zero to three. */
function concretePath(r, glob) {
  if (glob.endsWith('/**')) {
    const segs = [];
    for (let n = r.int(0, 3); n > 0; n--) segs.push(segment(r));
    return `${glob.slice(0, -2)}${segs.join('/')}`;
  }
  return glob.replace(/\*/g, () => segment(r));
}

/** A path near the routes that no route matches (or, for the `edge` kinds, that one matches by the glob rules). */
function missPath(r, res) {
  const base = `/api/v1/${res}`;
  switch (r.int(0, 11)) {
    case 0:
      return ['miss-version', `/api/v2/${res}/${segment(r)}`];
    case 1:
      return ['miss-resource', `/api/v1/${r.pick(['widgets', 'orders-archive', 'userz', 'v1'])}`];
    case 2:
      return ['miss-extra-segment', `${base}/${segment(r)}x/${segment(r)}y`];
    case 3:
      return ['edge-trailing-slash', `${base}/`]; // `${base}/*` matches (empty segment)
    case 4:
      return ['miss-case', base.toUpperCase()];
    case 5:
      return ['miss-root', r.pick(['/', '/healthz', '/favicon.ico', '', '/api', '/api/v1'])];
    case 6:
      return ['miss-double-slash', `${base}//${segment(r)}x`];
    case 7:
      return ['miss-prefix-no-slash', r.pick([`/static/${res}`, `/admin/${res}`])];
    case 8:
      return ['edge-prefix-slash', r.pick([`/static/${res}/`, `/admin/${res}/`])]; // `/**` matches ""
    case 9:
      return ['miss-suffix', `${base}/${segment(r)}x/history/${segment(r)}`];
    case 10:
      return ['miss-lookalike', `${base}x/${segment(r)}`];
    default:
      return ['miss-deep', `${base}/${segment(r)}x/actions/${segment(r)}y/z`];
  }
}

// ---- addresses

function ipv4ToString(n) {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function ipv4Inside(r) {
  const v4 = ALLOWED_NETWORKS.filter((c) => !c.includes(':'));
  const [addr, bits] = r.pick(v4).split('/');
  const base = addr.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  // Now and then the first or last address of the range.
  const off = r.chance(0.05) ? 0 : r.chance(0.05) ? size - 1 : r.int(0, size - 1);
  return ipv4ToString(base + off);
}

const hex16 = (r) => r.int(0, 0xffff).toString(16);

function ipv6Inside(r) {
  return r.chance(0.5)
    ? `2001:db8:${hex16(r)}:${hex16(r)}::${hex16(r)}`
    : `fd${r.int(0, 255).toString(16).padStart(2, '0')}:${hex16(r)}::${r.int(1, 0xffff).toString(16)}`;
}

/** Addresses outside every allowed network, several of them just past a range's edge. */
function ipOutside(r) {
  return r.pick([
    () => `8.8.${r.int(0, 255)}.${r.int(0, 255)}`,
    () => `11.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(0, 255)}`,
    () => `172.32.${r.int(0, 255)}.${r.int(0, 255)}`,
    () => `172.15.255.${r.int(0, 255)}`,
    () => `192.169.${r.int(0, 255)}.${r.int(0, 255)}`,
    () => `100.128.0.${r.int(0, 255)}`,
    () => `100.63.255.${r.int(0, 255)}`,
    () => `203.0.114.${r.int(0, 255)}`,
    () => `198.51.100.${r.int(0, 127)}`,
    () => `2001:db9::${hex16(r)}`,
    () => `2001:db7:ffff::${hex16(r)}`,
    () => `fe80::${hex16(r)}`,
    () => `fc00::${hex16(r)}`,
    () => `2606:4700::${hex16(r)}`,
  ])();
}

// ---- requests

function token(r, sub, now, kinds) {
  if (r.chance(0.03)) {
    kinds.push('no-token');
    return undefined;
  }
  const t = { iss: ISSUER, aud: [AUDIENCE], sub, iat: now - r.int(60, 3600), exp: now + r.int(1, 3600) };
  if (r.chance(0.25)) t.aud = r.chance(0.5) ? ['billing-api', AUDIENCE] : [AUDIENCE, 'https://api.example.com'];
  if (r.chance(0.04)) {
    t.iss = r.pick(['https://evil.example.com/', 'https://id.example.com', 'https://ID.example.com/']);
    kinds.push('wrong-issuer');
  }
  if (r.chance(0.05)) {
    t.aud = r.pick([['billing-api'], [], ['shieldx-gateway-staging'], ['SHIELDX-GATEWAY']]);
    kinds.push('wrong-audience');
  }
  if (r.chance(0.07)) {
    t.exp = r.chance(0.15) ? now : now - r.int(1, 86400); // exp must be strictly after now
    kinds.push('expired');
  }
  return t;
}

/**
 * The inputs and, beside them, how each was made (`kinds`, for printing examples). `users` is the
 * data.users document; routes the user's roles allow are chosen more often than the others, so
 * that about a third of the decisions are allows.
 */
export function makeInputs(r, users, count = 10000) {
  const ids = Object.keys(users);
  const inputs = [];
  const kinds = [];
  for (let i = 0; i < count; i++) {
    const k = [];
    const now = NOW + i;
    let sub;
    if (r.chance(0.06)) {
      sub = r.pick([`user-${r.int(1001, 9999)}`, `svc-${r.int(1, 99)}`, 'user-0000', 'USER-0001', '']);
      k.push('unknown-user');
    } else {
      sub = r.pick(ids);
      if (!users[sub].active) k.push('disabled-user');
    }
    const roles = users[sub]?.roles ?? [];
    let method;
    let path;
    if (r.chance(0.15)) {
      // Mostly near a resource the user has a role for, so that the edge cases can be allows.
      const own = RESOURCES.filter((res) => roles.some((x) => x === 'admin' || x === 'auditor' || x.startsWith(`${res}-`)));
      const [kind, p] = missPath(r, own.length > 0 && r.chance(0.7) ? r.pick(own) : r.pick(RESOURCES));
      k.push(kind);
      path = p;
      method = r.chance(0.5) ? 'GET' : r.pick(METHODS);
    } else {
      const mine = ROUTES.filter((rt) => rt.roles.some((x) => roles.includes(x)));
      const route = mine.length > 0 && r.chance(0.7) ? r.pick(mine) : r.pick(ROUTES);
      k.push(mine.includes(route) ? 'route-role-ok' : 'route-role-missing');
      path = concretePath(r, route.glob);
      if (route.methods === null || r.chance(0.9)) method = route.methods === null ? r.pick(METHODS) : r.pick(route.methods);
      else {
        method = r.pick(METHODS.filter((m) => !route.methods.includes(m)));
        k.push('wrong-method');
      }
    }
    let ip;
    if (r.chance(0.1)) {
      ip = ipOutside(r);
      k.push('ip-outside');
    } else ip = r.chance(0.2) ? ipv6Inside(r) : ipv4Inside(r);
    const input = { method, path, ip, now };
    const t = token(r, sub, now, k);
    if (t !== undefined) input.token = t;
    inputs.push(input);
    kinds.push(k);
  }
  return { inputs, kinds };
}

/** Everything the bench needs, from one seed. `data` is the base document the policies see. */
export function generate({ seed = DEFAULT_SEED, users = 1000, inputs = 10000 } = {}) {
  const r = rng(seed);
  const userDoc = makeUsers(r, users);
  const made = makeInputs(r, userDoc, inputs);
  const data = { users: userDoc, gateway: { allowed_networks: [...ALLOWED_NETWORKS] } };
  return { data, inputs: made.inputs, kinds: made.kinds };
}
