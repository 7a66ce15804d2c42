// @within: the value occurs anywhere in the parameter — a plain substring test, so with the usual
// space-separated lists (`@within GET POST HEAD`) "POS" is within too, as in ModSecurity. An empty
// value is always within.
import { registerOperator } from './registry.js';
import { stringOperator } from './string-op.js';

registerOperator(stringOperator('within', (value, param) => value === '' || param.includes(value)));
