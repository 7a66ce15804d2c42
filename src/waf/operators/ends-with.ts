// @endsWith: the value ends with the parameter (case-sensitive; an empty parameter always matches).
import { registerOperator } from './registry.js';
import { stringOperator } from './string-op.js';

registerOperator(stringOperator('endsWith', (value, param) => value.endsWith(param)));
