// A route's compiled stage list. run() stays synchronous while every stage answers synchronously,
// and only switches to a promise chain from the first stage that returns one.
import { STAGE_NAMES_DEFAULT, type RouteConfig } from '../config/schema.js';
import { metrics } from '../telemetry/metrics.js';
import { getStage } from './registry.js';
import { StageConfigError, type RequestContext, type Stage, type StageDeps, type StageResult } from './stage.js';

interface TimedStage {
  stage: Stage;
  timer: { observe(v: number): void };
}

function isPromise(v: unknown): v is Promise<StageResult> {
  return typeof (v as Promise<unknown> | undefined)?.then === 'function';
}

export class Pipeline {
  private readonly timed: TimedStage[];

  constructor(readonly stages: readonly Stage[]) {
    this.timed = stages.map((stage) => ({ stage, timer: metrics.stageDuration.labels(stage.name) }));
  }

  get stageNames(): string[] {
    return this.stages.map((s) => s.name);
  }

  run(ctx: RequestContext): StageResult | Promise<StageResult> {
    return this.runFrom(ctx, 0);
  }

  private runFrom(ctx: RequestContext, start: number): StageResult | Promise<StageResult> {
    const list = this.timed;
    // One clock read per stage boundary: a stage's end is the next one's start.
    let t0 = performance.now();
    for (let i = start; i < list.length; i++) {
      const t = list[i] as TimedStage;
      const r = t.stage.run(ctx);
      if (isPromise(r)) return this.continueAsync(ctx, i, t, t0, r);
      const t1 = performance.now();
      t.timer.observe((t1 - t0) / 1000);
      if (r !== undefined) return r;
      t0 = t1;
    }
    return undefined;
  }

  private async continueAsync(
    ctx: RequestContext,
    i: number,
    t: TimedStage,
    t0: number,
    pending: Promise<StageResult>,
  ): Promise<StageResult> {
    const r = await pending;
    t.timer.observe((performance.now() - t0) / 1000);
    if (r !== undefined) return r;
    return this.runFrom(ctx, i + 1);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.stages.map((s) => s.close?.()));
  }
}

/** Build a route's pipeline. Throws StageConfigError with the config path for unknown stages or bad settings. */
export function buildPipeline(route: RouteConfig, routeIndex: number, deps: StageDeps): Pipeline {
  // With a policy set configured, the default order runs it after the cheaper stages, before action.
  const names =
    route.stages ?? (deps.policy ? [...STAGE_NAMES_DEFAULT.slice(0, -1), 'policy', 'action'] : [...STAGE_NAMES_DEFAULT]);
  const stages: Stage[] = [];
  const seen = new Set<string>();
  names.forEach((name, j) => {
    const f = getStage(name);
    if (!f) throw new StageConfigError(`unknown stage "${name}"`, ['routes', routeIndex, 'stages', j]);
    if (seen.has(name)) throw new StageConfigError(`stage "${name}" listed twice`, ['routes', routeIndex, 'stages', j]);
    seen.add(name);
    try {
      stages.push(f.create(route, deps));
    } catch (e) {
      if (e instanceof StageConfigError) {
        throw new StageConfigError(e.message, e.path[0] === 'routes' ? e.path : ['routes', routeIndex, ...e.path]);
      }
      throw new StageConfigError(`stage "${name}": ${(e as Error).message}`, ['routes', routeIndex]);
    }
  });
  return new Pipeline(stages);
}
