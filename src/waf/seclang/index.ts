// SecLang parser and rule loader: configuration text → the rule model in ../rule.ts.

export { type ParsedActions, parseActions, parseSetvar, tokenizeActions } from './actions.js';
export { SecLangError, type SecLangIssue } from './errors.js';
export { type Directive, type DirectiveArg, lexSecLang, lineOf } from './lexer.js';
export { type LoadOptions, loadRuleSet, type RuleSetEntry } from './loader.js';
export { parseOperator } from './operator.js';
export { DEFAULT_SETTINGS, defaultSettings } from './settings.js';
export { compileKeyRegex, formatVariable, parseVariables, sameVariable } from './variables.js';
