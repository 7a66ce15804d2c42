// @ge: the value's leading integer is greater than or equal to the parameter's (64-bit, as atoll: text without a
// leading number counts as 0; see numeric.ts).
import { numericOperator } from './numeric-op.js';
import { registerOperator } from './registry.js';

registerOperator(numericOperator('ge', (v, p) => v >= p));
