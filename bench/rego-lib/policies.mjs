// Writes the Rego and Cedar policies of bench/rego from routes.mjs. The checked-in files
// (policy.rego, policy.cedar) are this output: bench/rego reads those, and refuses to run when they
// differ from what this renders (edit routes.mjs, then `node bench/rego-lib/policies.mjs --write`).
// policy-table.rego (routes as data) is hand-written and not rendered here.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALLOWED_NETWORKS, AUDIENCE, globShape, ISSUER, ROUTES } from './routes.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REGO_FILE = path.join(HERE, 'policy.rego');
export const REGO_TABLE_FILE = path.join(HERE, 'policy-table.rego');
export const CEDAR_FILE = path.join(HERE, 'policy.cedar');

const q = (s) => JSON.stringify(s);

// ---- Rego: one rule per route, each led by the conditions on input.method and input.path.

function regoRoute(route) {
  const body = [];
  if (route.methods?.length === 1) body.push(`input.method == ${q(route.methods[0])}`);
  else if (route.methods) body.push(`input.method in {${route.methods.map(q).join(', ')}}`);
  if (globShape(route.glob) === 'literal') body.push(`input.path == ${q(route.glob)}`);
  else body.push(`glob.match(${q(route.glob)}, ["/"], input.path)`);
  body.push(`has_role({${route.roles.map(q).join(', ')}})`);
  return [`# ${route.name}`, 'route_grants if {', ...body.map((b) => `\t${b}`), '}'].join('\n');
}

export function renderRego() {
  return `# bench/rego: the gateway policy as a ShieldX user writes it. Rendered from routes.mjs by
# policies.mjs; edit those, then \`node bench/rego-lib/policies.mjs --write\`.
#
# A request is allowed when its token is valid, it comes from an allowed network, its user exists
# and is active, and a route matching its method and path grants one of the user's roles. Routes
# are rules, one per route, each starting with equality/glob conditions on input.method and
# input.path: the form rule indexing can select on, and the one a route table turns into.
package shieldx.bench

import rego.v1

default allow := false

allow if {
	valid_token
	allowed_ip
	user.active
	route_grants
}

# The gateway has verified the JWT's signature; the policy checks its claims.
valid_token if {
	input.token.iss == ${q(ISSUER)}
	${q(AUDIENCE)} in input.token.aud
	input.token.exp > input.now
}

allowed_ip if {
	some cidr in data.gateway.allowed_networks
	net.cidr_contains(cidr, input.ip)
}

user := data.users[input.token.sub]

has_role(allowed) if {
	some role in user.roles
	role in allowed
}

${ROUTES.map(regoRoute).join('\n\n')}
`;
}

// ---- Cedar: guards as forbid policies, one permit per route.

/** A glob as a Cedar condition on context.path (exact for the shapes globShape allows). */
function cedarPath(glob) {
  switch (globShape(glob)) {
    case 'literal':
      return `context.path == ${q(glob)}`;
    case 'prefix':
      return `context.path like ${q(`${glob.slice(0, -2)}*`)}`;
    default: {
      // Cedar's `*` crosses "/": also require no more slashes than the pattern has.
      const slashes = glob.split('/').length - 1;
      return `context.path like ${q(glob)} && !(context.path like ${q(`*${'/*'.repeat(slashes + 1)}`)})`;
    }
  }
}

function cedarRoute(route) {
  let action = 'action';
  if (route.methods?.length === 1) action = `action == Action::${q(route.methods[0])}`;
  else if (route.methods) action = `action in [${route.methods.map((m) => `Action::${q(m)}`).join(', ')}]`;
  return `@id(${q(route.name)})
permit (principal, ${action}, resource)
when {
  ${cedarPath(route.glob)} &&
  principal in [${route.roles.map((r) => `Role::${q(r)}`).join(', ')}]
};`;
}

export function renderCedar() {
  const ranges = ALLOWED_NETWORKS.map((c) => `context.ip.isInRange(ip(${q(c)}))`).join(' ||\n  ');
  return `// bench/rego: the same gateway policy in Cedar. Rendered from routes.mjs by policies.mjs; edit
// those, then \`node bench/rego-lib/policies.mjs --write\`.
//
// Request: principal User::<token sub> (its entity, with the user's roles as parents, is passed
// per call), action Action::<HTTP method>, resource Path::<path>; context: path, ip (an ipaddr),
// now, and token (the verified claims) when the request has one. The guards are forbids written
// with \`has\` so that they cannot error (a forbid that errors is skipped).

@id("token")
forbid (principal, action, resource)
unless {
  context has token &&
  context.token.iss == ${q(ISSUER)} &&
  context.token.aud.contains(${q(AUDIENCE)}) &&
  context.token.exp > context.now
};

@id("network")
forbid (principal, action, resource)
unless {
  ${ranges}
};

@id("active-user")
forbid (principal, action, resource)
unless { principal has active && principal.active };

${ROUTES.map(cedarRoute).join('\n\n')}
`;
}

/** Whether the checked-in files are what routes.mjs renders; the names of the stale ones. */
export function staleFiles() {
  const stale = [];
  for (const [file, text] of [
    [REGO_FILE, renderRego()],
    [CEDAR_FILE, renderCedar()],
  ]) {
    let have = null;
    try {
      have = fs.readFileSync(file, 'utf8');
    } catch {
      have = null;
    }
    if (have !== text) stale.push(path.relative(process.cwd(), file));
  }
  return stale;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--write') {
    fs.writeFileSync(REGO_FILE, renderRego());
    fs.writeFileSync(CEDAR_FILE, renderCedar());
    process.stdout.write(`wrote ${REGO_FILE}\nwrote ${CEDAR_FILE}\n`);
  } else {
    const stale = staleFiles();
    process.stdout.write(stale.length ? `stale: ${stale.join(', ')} (run with --write)\n` : 'policies are current\n');
    process.exitCode = stale.length ? 1 : 0;
  }
}
