// policy: evaluates the route's Rego decision (data.shieldx.decision by default) on the input
// document and applies the decision document. The policy set is prepared once per config generation
// (StageDeps.policy); this stage only builds the input and reads the decision.
//
// Decision document: {action: allow|deny|challenge|tarpit|divert, reason, status, headers, upstream,
// delay_ms}. An evaluation error, an undefined decision or a malformed one follows the route's
// on_error setting (default: deny with 503), and is logged with the request id.
import type { RouteConfig } from '../../config/schema.js';
import { RObject, type Value, fromJSON, toJSON } from '../../rego/value.js';
import type { RequestContext, Stage, StageDeps, StageFactory, StageResult, Verdict } from '../stage.js';
import { StageConfigError } from '../stage.js';

/** The part of a prepared policy set this stage needs. */
export interface DecisionSource {
  evalPath(path: string[], input: unknown, opts?: { strictBuiltinErrors?: boolean }): Value | undefined;
}

export const DECISION_ACTIONS = ['allow', 'deny', 'challenge', 'tarpit', 'divert'] as const;

export function decisionPath(text: string): string[] {
  const parts = text
    .replace(/^data[./]/, '')
    .split(/[./]/)
    .filter((p) => p !== '');
  return parts;
}

/** The Rego input document (DESIGN.md), as a Rego value. */
export function inputDocument(ctx: RequestContext): Value {
  const r = ctx.request;
  const headers = new RObject();
  for (const [k, v] of Object.entries(r.headers)) {
    if (v === undefined || k.charCodeAt(0) === 58 /* ':' pseudo-headers */) continue;
    headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  }
  const request = RObject.from([
    ['method', r.method],
    ['scheme', r.scheme],
    ['host', r.host],
    ['path', r.path],
    ['query', r.query],
    ['headers', headers],
    ['client_ip', r.client_ip],
    ['protocol', r.protocol],
  ]);
  if (r.body_sha256 !== undefined) request.set('body_sha256', r.body_sha256);
  return RObject.from([
    ['request', request],
    ['principal', fromJSON(ctx.principal)],
    [
      'route',
      RObject.from([
        ['name', ctx.route.name],
        ['upstream', ctx.route.upstream],
      ]),
    ],
    ['signals', fromJSON(ctx.signals)],
  ]);
}

class PolicyFailure extends Error {}

function str(o: RObject, key: string): string | undefined {
  const v = o.getStr(key);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new PolicyFailure(`decision.${key} must be a string`);
  return v;
}

function status(o: RObject, fallback: number): number {
  const v = o.getStr('status');
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 100 || v > 599)
    throw new PolicyFailure('decision.status must be an integer HTTP status (100-599)');
  return v;
}

function headers(o: RObject): Record<string, string> | undefined {
  const v = o.getStr('headers');
  if (v === undefined) return undefined;
  if (!(v instanceof RObject)) throw new PolicyFailure('decision.headers must be an object');
  const out: Record<string, string> = {};
  for (const [k, val] of v.entries()) {
    if (typeof k !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(k))
      throw new PolicyFailure(`decision.headers has an invalid header name ${JSON.stringify(toJSON(k))}`);
    if (typeof val !== 'string' || /[\r\n\0]/.test(val))
      throw new PolicyFailure(`decision.headers.${k} must be a string without CR, LF or NUL`);
    out[k] = val;
  }
  return out;
}

/** Turns a decision document into a verdict (undefined = allow, go on to the next stage). */
export function applyDecision(d: Value, tarpitDelayMs: number, pools: ReadonlySet<string> | undefined): StageResult {
  if (!(d instanceof RObject)) throw new PolicyFailure(`decision must be an object, got ${JSON.stringify(toJSON(d))}`);
  const action = str(d, 'action');
  const reason = str(d, 'reason') ?? `policy: ${action}`;
  const hdrs = headers(d);
  switch (action) {
    case 'allow':
      return hdrs ? { action: 'allow', reason, headers: hdrs } : undefined;
    case 'deny': {
      const st = status(d, 403);
      return { action: 'deny', status: st, reason, headers: hdrs, body: { error: 'forbidden', reason } };
    }
    case 'challenge': {
      // The MFA flow (identity module) is not built yet: a challenge is answered with 401 and a
      // machine-readable body so clients can tell it from a plain denial.
      const st = status(d, 401);
      return { action: 'deny', status: st, reason, headers: hdrs, body: { error: 'challenge_required', reason } };
    }
    case 'tarpit': {
      const delay = d.getStr('delay_ms');
      if (delay !== undefined && (typeof delay !== 'number' || delay < 0 || delay > 600_000))
        throw new PolicyFailure('decision.delay_ms must be a number of milliseconds (0-600000)');
      const then = str(d, 'then') ?? 'allow';
      if (then !== 'allow' && then !== 'deny') throw new PolicyFailure('decision.then must be "allow" or "deny"');
      return { action: 'tarpit', delayMs: (delay as number | undefined) ?? tarpitDelayMs, then, status: status(d, 403), reason };
    }
    case 'divert': {
      const upstream = str(d, 'upstream');
      if (upstream === undefined) throw new PolicyFailure('decision.upstream is required for divert');
      if (pools && !pools.has(upstream)) throw new PolicyFailure(`decision.upstream "${upstream}" is not a configured upstream`);
      return { action: 'allow', reason, upstream, headers: hdrs };
    }
    case undefined:
      throw new PolicyFailure('decision.action is missing');
    default:
      throw new PolicyFailure(`decision.action "${action}" is not one of ${DECISION_ACTIONS.join(', ')}`);
  }
}

class PolicyStage implements Stage {
  readonly name = 'policy';
  private readonly failVerdict: Verdict | undefined;

  constructor(
    private readonly source: DecisionSource,
    private readonly path: string[],
    private readonly strict: boolean,
    private readonly tarpitDelayMs: number,
    private readonly pools: ReadonlySet<string>,
    onError: 'deny' | 'allow',
    onErrorStatus: number,
  ) {
    this.failVerdict =
      onError === 'allow'
        ? undefined
        : Object.freeze({
            action: 'deny',
            status: onErrorStatus,
            reason: 'policy evaluation failed',
            body: Object.freeze({ error: 'policy_error', reason: 'policy evaluation failed' }),
          } as Verdict);
  }

  run(ctx: RequestContext): StageResult {
    let decision: Value | undefined;
    try {
      decision = this.source.evalPath(this.path, inputDocument(ctx), { strictBuiltinErrors: this.strict });
    } catch (e) {
      ctx.log.error({ err: e, decision: `data.${this.path.join('.')}` }, 'policy evaluation failed');
      return this.failVerdict;
    }
    if (decision === undefined) {
      ctx.log.error({ decision: `data.${this.path.join('.')}` }, 'policy decision is undefined');
      return this.failVerdict;
    }
    try {
      const v = applyDecision(decision, this.tarpitDelayMs, this.pools);
      ctx.signals.policy = {
        action: v === undefined ? 'allow' : v.action === 'allow' && 'upstream' in v && v.upstream ? 'divert' : v.action,
      };
      return v;
    } catch (e) {
      if (!(e instanceof PolicyFailure)) throw e;
      ctx.log.error({ decision: toJSON(decision), problem: e.message }, 'policy decision is malformed');
      return this.failVerdict;
    }
  }
}

export const policyStage: StageFactory = {
  name: 'policy',
  description: 'Evaluates the Rego decision (data.shieldx.decision) on the input document and applies it',
  create(route: RouteConfig, deps: StageDeps): Stage {
    const g = deps.config.policy;
    if (!deps.policy) throw new StageConfigError('the policy stage needs policy.paths (Rego modules) in the config', ['stages']);
    const path = decisionPath(route.policy?.decision ?? g.decision);
    if (path.length === 0) throw new StageConfigError('decision path is empty', ['policy', 'decision']);
    return new PolicyStage(
      deps.policy,
      path,
      g.strict_builtin_errors,
      g.tarpit_delay,
      new Set(Object.keys(deps.config.upstreams)),
      route.policy?.on_error ?? g.on_error,
      route.policy?.on_error_status ?? g.on_error_status,
    );
  },
};
