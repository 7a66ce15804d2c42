// The stage table: every stage is registered here by name, so the CLI, the admin API and the UI
// can list them and routes can order them by name.
import type { StageFactory } from './stage.js';
import { accessRulesStage } from './stages/access-rules.js';
import { actionStage } from './stages/action.js';
import { policyStage } from './stages/policy.js';
import { protocolGuardStage } from './stages/protocol-guard.js';
import { rateLimitStage } from './stages/rate-limit.js';
import { wafStage } from './stages/waf.js';

const table = new Map<string, StageFactory>();

export function registerStage(f: StageFactory): void {
  if (table.has(f.name)) throw new Error(`stage "${f.name}" is already registered`);
  table.set(f.name, f);
}

export function getStage(name: string): StageFactory | undefined {
  return table.get(name);
}

export function listStages(): StageFactory[] {
  return [...table.values()];
}

for (const f of [protocolGuardStage, rateLimitStage, accessRulesStage, wafStage, policyStage, actionStage]) registerStage(f);
