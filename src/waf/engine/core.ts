// What every transaction of one engine shares: the compiled rules, settings, the persistent
// collection store and the macro template cache.

import type { EngineSettings } from '../rule.js';
import type { ValueList } from './collection.js';
import type { CompiledRuleSet } from './compile.js';
import type { TemplateCache } from './macro.js';
import type { PersistentStore } from './persist.js';
import type { EngineOptions } from './types.js';

export interface EngineCore {
  readonly compiled: CompiledRuleSet;
  readonly settings: EngineSettings;
  readonly options: EngineOptions;
  readonly store: PersistentStore;
  readonly templates: TemplateCache;
  readonly maxValueLength: number;
  readonly now: () => number;
  /**
   * The value buffer for a chain depth. Shared by the engine's transactions: a phase runs
   * synchronously from start to end, so no two evaluations use one depth's buffer at once.
   */
  valueList(depth: number): ValueList;
}
