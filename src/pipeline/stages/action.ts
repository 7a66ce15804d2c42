// action: the route's fixed outcome once every earlier stage let the request through — allow (proxy),
// deny (status + body), or tarpit (hold the request, then allow or deny; the runner does the waiting
// on a timer so the event loop never blocks). No `action` on the route means allow.
import type { RouteConfig } from '../../config/schema.js';
import type { RequestContext, Stage, StageDeps, StageFactory, StageResult, Verdict } from '../stage.js';

class RouteAction implements Stage {
  readonly name = 'action';

  /** undefined = allow. The verdict is the same for every request, so it is built once (frozen). */
  constructor(private readonly verdict: Verdict | undefined) {}

  run(_ctx: RequestContext): StageResult {
    return this.verdict;
  }
}

function verdictFor(route: RouteConfig): Verdict | undefined {
  const a = route.action;
  if (a === undefined || a.type === 'allow') return undefined;
  if (a.type === 'deny') {
    return Object.freeze({
      action: 'deny',
      status: a.status,
      reason: 'denied by route action',
      body: Object.freeze({ ...(a.body ?? { error: 'forbidden' }) }),
    }) as Verdict;
  }
  return Object.freeze({
    action: 'tarpit',
    delayMs: a.delay,
    // biome-ignore lint/suspicious/noThenProperty: the Verdict contract names it `then`; a string is never thenable
    then: a.tarpit_then,
    status: a.status,
    reason: 'tarpit by route action',
  }) as Verdict;
}

export const actionStage: StageFactory = {
  name: 'action',
  description:
    "The route's outcome after the other stages: allow (proxy upstream), deny (status and body), or tarpit (delay, then allow or deny).",
  create(route: RouteConfig, _deps: StageDeps): Stage {
    return new RouteAction(verdictFor(route));
  },
};
