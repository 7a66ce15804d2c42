// Public API of the WAF: load SecLang rules (loadRuleSet), build an engine once, run one
// transaction per HTTP exchange through its phases.
//
//   const engine = new WafEngine(loadRuleSet({ files: ['crs-setup.conf', 'rules/*.conf'] }));
//   const tx = engine.newTransaction();
//   const it = tx.processRequestHeaders(req) ?? tx.processRequestBody();
//   ... tx.processResponseHeaders(res); tx.processResponseBody(); tx.processLogging();

// Fill the operator and transformation tables (each file registers itself).
import './operators/index.js';
import './operators/detect-sqli.js';
import './operators/detect-xss.js';
import './transformations/index.js';

export { WafCompileError } from './engine/compile.js';
export { WafEngine } from './engine/engine.js';
export type { Transaction } from './engine/transaction.js';
export type {
  EngineOptions,
  Interruption,
  MatchedRule,
  WafRequest,
  WafResponse,
} from './engine/types.js';
export type { EngineMode, EngineSettings, Rule, RuleActions, RuleSet, VariableSelector } from './rule.js';
export { loadRuleSet, SecLangError } from './seclang/index.js';
