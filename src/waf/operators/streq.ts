// @streq: the value equals the parameter exactly (case-sensitive, byte for byte).
import { registerOperator } from './registry.js';
import { stringOperator } from './string-op.js';

registerOperator(stringOperator('streq', (value, param) => value === param));
