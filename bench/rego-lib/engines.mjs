// The decision makers bench/rego compares. Each is set up once (policy parsed and compiled, data
// loaded) and then offers:
//   decide(input) → boolean   what is timed: everything a gateway does per request to get a decision
//   check(input)  → { allow, problem? }   for the agreement pass: also reports errors and odd answers
// Inputs are the gateway-level request documents from generate.mjs; what an engine needs beyond
// them (ShieldX's JSON → Value conversion inside evalPath, Cedar's request and entity JSON) is built
// inside decide, per call, and counts.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BenchError, ROOT } from '../lib/common.mjs';
import { makeHandwritten } from './handwritten.mjs';
import { CEDAR_FILE, REGO_FILE, REGO_TABLE_FILE } from './policies.mjs';
import { ROUTES } from './routes.mjs';

export const ENGINE_NAMES = ['shieldx', 'shieldx-table', 'handwritten', 'cedar', 'cedar-isauthorized'];

export const ENGINE_INFO = {
  shieldx: 'ShieldX Rego, policy.rego (one rule per route), evalPath(["shieldx","bench","allow"], input)',
  'shieldx-table': 'reference, not judged: ShieldX Rego, policy-table.rego (routes as data, iterated)',
  handwritten: 'plain JS (handwritten.mjs): regexps grouped by method, Map of users, parsed IP networks',
  cedar: 'cedar-wasm statefulIsAuthorized: policy set parsed once; request + entity slice (user, roles) built per call',
  'cedar-isauthorized': 'cedar-wasm isAuthorized: the same request, with the policy text, which it parses on every call',
};

export const DIST_REGO = path.join(ROOT, 'dist', 'src', 'rego', 'index.js');
export const SRC_REGO = path.join(ROOT, 'src', 'rego', 'index.ts');

/** The ShieldX Rego module: from dist/ (tsc output) or, with source "src", through tsx. */
export async function loadShieldx(source) {
  if (source === 'src') {
    const { register } = await import('tsx/esm/api');
    register();
    return import(pathToFileURL(SRC_REGO).href);
  }
  if (!fs.existsSync(DIST_REGO)) throw new BenchError(`${path.relative(ROOT, DIST_REGO)} missing (npm run build)`);
  const mod = await import(pathToFileURL(DIST_REGO).href);
  if (typeof mod.prepare !== 'function')
    throw new BenchError(`${path.relative(ROOT, DIST_REGO)} has no prepare(): the Rego engine in dist/ is not built yet`);
  return mod;
}

const ALLOW_PATH = ['shieldx', 'bench', 'allow'];

function shieldxEngine(rego, file, data) {
  let policy;
  try {
    policy = rego.prepare([{ file: path.basename(file), text: fs.readFileSync(file, 'utf8') }], { data });
  } catch (e) {
    const detail = e?.errors ? e.errors.map((x) => `  ${x.code ?? ''} ${x.message}`).join('\n') : String(e?.stack ?? e);
    throw new BenchError(`ShieldX could not prepare ${path.basename(file)}:\n${detail}`);
  }
  return {
    decide: (input) => policy.evalPath(ALLOW_PATH, input) === true,
    check: (input) => {
      let v;
      try {
        v = policy.evalPath(ALLOW_PATH, input);
      } catch (e) {
        return { allow: false, problem: `threw ${e?.code ?? e?.name}: ${e?.message}` };
      }
      if (typeof v !== 'boolean')
        return { allow: false, problem: `allow is ${v === undefined ? 'undefined' : JSON.stringify(v)}` };
      return { allow: v };
    },
  };
}

/** data.routes for policy-table.rego: the same routes, `["*"]` for any method. */
export function routeTable() {
  return ROUTES.map((r) => ({ name: r.name, methods: r.methods ?? ['*'], glob: r.glob, roles: r.roles }));
}

// ---- Cedar

async function loadCedar() {
  try {
    return await import('@cedar-policy/cedar-wasm/nodejs');
  } catch (e) {
    throw new BenchError(`@cedar-policy/cedar-wasm/nodejs could not be loaded (npm install): ${e.message}`);
  }
}

export async function cedarVersion() {
  try {
    return (await loadCedar()).getCedarVersion();
  } catch {
    return null;
  }
}

/**
 * The per-call request a gateway builds for Cedar: principal, action, resource, context, and the
 * principal's entity slice (the user with its roles as parents, and the role entities).
 */
export function cedarRequestBuilder(data) {
  const users = new Map(Object.entries(data.users));
  return (input) => {
    const t = input.token;
    const sub = typeof t?.sub === 'string' ? t.sub : '';
    const user = users.get(sub);
    let entities = [];
    if (user !== undefined) {
      const parents = user.roles.map((id) => ({ type: 'Role', id }));
      entities = [{ uid: { type: 'User', id: sub }, attrs: { name: user.name, active: user.active }, parents }];
      for (const p of parents) entities.push({ uid: p, attrs: {}, parents: [] });
    }
    const context = { path: input.path, ip: { __extn: { fn: 'ip', arg: input.ip } }, now: input.now };
    if (t !== undefined) context.token = t;
    return {
      principal: { type: 'User', id: sub },
      action: { type: 'Action', id: input.method },
      resource: { type: 'Path', id: input.path },
      context,
      entities,
    };
  };
}

function cedarProblem(ans) {
  if (ans.type !== 'success') return `failure: ${ans.errors.map((e) => e.message).join('; ')}`;
  const errs = ans.response.diagnostics.errors;
  if (errs.length > 0) return `policy errors: ${errs.map((e) => `${e.policyId}: ${e.error.message}`).join('; ')}`;
  return undefined;
}

async function cedarEngine(stateful, data) {
  const cedar = await loadCedar();
  const policies = { staticPolicies: fs.readFileSync(CEDAR_FILE, 'utf8') };
  const parsed = cedar.checkParsePolicySet(policies);
  if (parsed.type !== 'success')
    throw new BenchError(`Cedar rejected policy.cedar: ${parsed.errors.map((e) => e.message).join('; ')}`);
  const build = cedarRequestBuilder(data);
  let call;
  if (stateful) {
    const id = 'shieldx-bench';
    const pre = cedar.preparsePolicySet(id, policies);
    if (pre.type !== 'success')
      throw new BenchError(`Cedar preparsePolicySet failed: ${pre.errors.map((e) => e.message).join('; ')}`);
    call = (input) => {
      const req = build(input);
      req.preparsedPolicySetId = id;
      return cedar.statefulIsAuthorized(req);
    };
  } else {
    call = (input) => {
      const req = build(input);
      req.policies = policies;
      return cedar.isAuthorized(req);
    };
  }
  return {
    decide: (input) => {
      const ans = call(input);
      return ans.type === 'success' && ans.response.decision === 'allow';
    },
    check: (input) => {
      const ans = call(input);
      const allow = ans.type === 'success' && ans.response.decision === 'allow';
      const problem = cedarProblem(ans);
      return problem ? { allow, problem } : { allow };
    },
  };
}

/** Sets up the selected engines; `rego` is the loaded ShieldX module (or null when not needed). */
export async function setupEngines(names, data, rego) {
  const engines = {};
  for (const name of names) {
    switch (name) {
      case 'shieldx':
        engines[name] = shieldxEngine(rego, REGO_FILE, data);
        break;
      case 'shieldx-table':
        engines[name] = shieldxEngine(rego, REGO_TABLE_FILE, { ...data, routes: routeTable() });
        break;
      case 'handwritten': {
        const decide = makeHandwritten(data);
        engines[name] = { decide, check: (input) => ({ allow: decide(input) }) };
        break;
      }
      case 'cedar':
        engines[name] = await cedarEngine(true, data);
        break;
      case 'cedar-isauthorized':
        engines[name] = await cedarEngine(false, data);
        break;
      default:
        throw new BenchError(`unknown engine "${name}"`);
    }
  }
  return engines;
}
