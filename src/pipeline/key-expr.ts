// Key expressions ("ip", "ip+route", "tenant+header:x-api-key") name the bucket a request counts
// against (rate limits) or the hash key of a request (rendezvous load balancing). Compiled once into
// a closure over an array of part readers.
import type { RequestContext } from './stage.js';
import { StageConfigError } from './stage.js';

export type KeyFn = (ctx: RequestContext) => string;

const ABSENT = '-';
/** Separator between the values of a multi-part key; occurrences inside values are escaped. */
const SEP = '|';
const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const readIp: KeyFn = (ctx) => ctx.request.client_ip || ABSENT;
const readTenant: KeyFn = (ctx) => ctx.principal.tenant ?? ABSENT;
const readRoute: KeyFn = (ctx) => ctx.route.name;
const readPath: KeyFn = (ctx) => ctx.request.path;
const readMethod: KeyFn = (ctx) => ctx.request.method;
const readHost: KeyFn = (ctx) => ctx.request.host || ABSENT;

const SIMPLE_PARTS: Record<string, KeyFn> = {
  ip: readIp,
  tenant: readTenant,
  route: readRoute,
  path: readPath,
  method: readMethod,
  host: readHost,
};

/** The first value of a header ("-" when absent or empty); `name` is lower-case. */
function headerReader(name: string): KeyFn {
  return (ctx) => {
    const v = ctx.request.headers[name];
    const first = Array.isArray(v) ? v[0] : v;
    return first ? first : ABSENT;
  };
}

function escapeSep(v: string): string {
  // Values are attacker-controlled (headers, path): escape the separator so "a|b"+"c" cannot collide
  // with "a"+"b|c". The common case (no "|" or "%") returns the string untouched.
  if (v.indexOf(SEP) === -1 && v.indexOf('%') === -1) return v;
  return v.replaceAll('%', '%25').replaceAll(SEP, '%7C');
}

/**
 * Compile a key expression: parts joined by "+" among `ip`, `tenant` (principal tenant, "-" when
 * none), `route`, `header:NAME` (first value, "-" when absent), `path`, `method`, `host`.
 * A single part yields its value as is; several parts yield their values joined by "|" (with "|"
 * and "%" inside values percent-escaped). Throws StageConfigError naming an unknown part.
 */
export function compileKeyExpr(expr: string, configPath: (string | number)[] = []): KeyFn {
  if (typeof expr !== 'string' || expr.trim() === '')
    throw new StageConfigError('key expression is empty (use e.g. "ip", "ip+route", "header:x-api-key")', configPath);
  const readers: KeyFn[] = [];
  for (const raw of expr.split('+')) {
    const part = raw.trim();
    const simple = SIMPLE_PARTS[part.toLowerCase()];
    if (simple) {
      readers.push(simple);
      continue;
    }
    if (part.toLowerCase().startsWith('header:')) {
      const name = part.slice('header:'.length).trim().toLowerCase();
      if (!TOKEN_RE.test(name))
        throw new StageConfigError(`key expression "${expr}": invalid header name in part "${part}"`, configPath);
      readers.push(headerReader(name));
      continue;
    }
    throw new StageConfigError(
      `key expression "${expr}": unknown part "${part}" (use ip, tenant, route, header:NAME, path, method, host)`,
      configPath,
    );
  }
  if (readers.length === 1) return readers[0] as KeyFn;
  if (readers.length === 2) {
    const [a, b] = readers as [KeyFn, KeyFn];
    return (ctx) => `${escapeSep(a(ctx))}${SEP}${escapeSep(b(ctx))}`;
  }
  return (ctx) => {
    let key = escapeSep((readers[0] as KeyFn)(ctx));
    for (let i = 1; i < readers.length; i++) key += SEP + escapeSep((readers[i] as KeyFn)(ctx));
    return key;
  };
}
