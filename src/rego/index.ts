// Public API of the Rego engine. (Interface fixed by the lead; the compiler/evaluator fills it in.)
export { RegoError, RegoErrors, BuiltinError } from './errors.js';
export type { Location, RegoErrorCode } from './errors.js';
export { RObject, RSet, fromJSON, toJSON, equal, compare, format, typeName } from './value.js';
export type { Value } from './value.js';
