// @beginsWith: the value starts with the parameter (case-sensitive; an empty parameter always matches).
import { registerOperator } from './registry.js';
import { stringOperator } from './string-op.js';

registerOperator(stringOperator('beginsWith', (value, param) => value.startsWith(param)));
