// @contains: the parameter occurs anywhere in the value (case-sensitive; an empty parameter always does).
import { registerOperator } from './registry.js';
import { stringOperator } from './string-op.js';

registerOperator(stringOperator('contains', (value, param) => value.includes(param)));
