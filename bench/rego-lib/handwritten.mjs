// The same decision as policy.rego, written by hand the way a TypeScript developer would put it in a
// gateway (plain JS here so that bench/ needs no build): routes compiled once to regular
// expressions and grouped by method, users in a Map, the allow-list as parsed networks (ipnet.mjs).
import { makeAllowList } from './ipnet.mjs';
import { ALLOWED_NETWORKS, AUDIENCE, ISSUER, ROUTES } from './routes.mjs';

/** A glob (glob.match syntax, "/" delimiter) as an anchored RegExp: `*` one segment, `**` anything. */
export function globToRegExp(glob) {
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        src += '.*';
        i++;
      } else src += '[^/]*';
    } else src += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${src}$`, 's');
}

/** Builds the decide(input) → boolean function from the base data (users, allowed networks). */
export function makeHandwritten(data) {
  const users = new Map(Object.entries(data.users));
  const allowList = makeAllowList(data.gateway?.allowed_networks ?? ALLOWED_NETWORKS);
  const compiled = ROUTES.map((r) => ({
    literal: r.glob.includes('*') ? null : r.glob,
    re: globToRegExp(r.glob),
    roles: new Set(r.roles),
  }));
  // Routes by method; routes for any method are appended to every list and to the fallback.
  const anyMethod = compiled.filter((_, i) => ROUTES[i].methods === null);
  const byMethod = new Map();
  ROUTES.forEach((r, i) => {
    for (const m of r.methods ?? []) {
      if (!byMethod.has(m)) byMethod.set(m, []);
      byMethod.get(m).push(compiled[i]);
    }
  });
  for (const list of byMethod.values()) list.push(...anyMethod);

  const validToken = (t, now) =>
    t !== undefined &&
    t !== null &&
    t.iss === ISSUER &&
    Array.isArray(t.aud) &&
    t.aud.includes(AUDIENCE) &&
    typeof t.exp === 'number' &&
    typeof now === 'number' &&
    t.exp > now;

  return function decide(input) {
    const t = input.token;
    if (!validToken(t, input.now) || !allowList.contains(input.ip)) return false;
    const user = users.get(t.sub);
    if (user === undefined || user.active !== true) return false;
    const candidates = byMethod.get(input.method) ?? anyMethod;
    const path = input.path;
    for (const r of candidates) {
      if (r.literal !== null ? path !== r.literal : !r.re.test(path)) continue;
      for (const role of user.roles) if (r.roles.has(role)) return true;
    }
    return false;
  };
}
