// @eq: the value's leading integer equals the parameter's. ModSecurity v3 reads both with std::stoi:
// text without a leading number, or a number outside the 32-bit range, counts as 0.
import { parseInt32 } from './numeric.js';
import { numericOperator } from './numeric-op.js';
import { registerOperator } from './registry.js';

registerOperator(numericOperator('eq', (v, p) => v === p, parseInt32));
