// @lt: the value's leading integer is less than the parameter's (64-bit, as atoll: text without a
// leading number counts as 0; see numeric.ts).
import { numericOperator } from './numeric-op.js';
import { registerOperator } from './registry.js';

registerOperator(numericOperator('lt', (v, p) => v < p));
