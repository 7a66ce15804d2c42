// The WAF engine: compiles a RuleSet once (throws WafCompileError with file:line for a rule it
// cannot run) and hands out transactions that share the compiled rules.

import type { EngineSettings, RuleSet } from '../rule.js';
import { ValueList } from './collection.js';
import { type CompiledRuleSet, compileRuleSet, defaultActions } from './compile.js';
import type { EngineCore } from './core.js';
import { TemplateCache } from './macro.js';
import { PersistentStore } from './persist.js';
import { Transaction } from './transaction.js';
import { TransformTrie } from './transform.js';
import type { EngineOptions } from './types.js';

const DEFAULT_MAX_VALUE = 1 << 20;

export class WafEngine implements EngineCore {
  readonly compiled: CompiledRuleSet;
  readonly settings: EngineSettings;
  readonly options: EngineOptions;
  readonly store: PersistentStore;
  readonly templates = new TemplateCache();
  readonly maxValueLength: number;
  readonly now: () => number;
  readonly ruleSet: RuleSet;

  constructor(ruleSet: RuleSet, opts: EngineOptions = {}) {
    this.ruleSet = ruleSet;
    this.settings = ruleSet.settings;
    this.options = opts;
    this.now = opts.now ?? Date.now;
    this.maxValueLength = opts.maxValueLength !== undefined && opts.maxValueLength > 0 ? opts.maxValueLength : DEFAULT_MAX_VALUE;
    this.store = new PersistentStore(opts.maxPersistentRecords ?? 10_000, this.now);
    const trie = new TransformTrie();
    this.compiled = compileRuleSet(ruleSet, { trie, options: opts, defaults: defaultActions(ruleSet.settings) });
  }

  private readonly lists: ValueList[] = [];
  valueList(depth: number): ValueList {
    let l = this.lists[depth];
    if (l === undefined) {
      l = new ValueList();
      this.lists[depth] = l;
    }
    return l;
  }

  newTransaction(): Transaction {
    return new Transaction(this);
  }
}
