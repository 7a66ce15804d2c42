// Shared body of the string comparison operators (one file each: streq.ts, contains.ts, ...).
import { Operand } from './operand.js';
import type { OperatorDef } from './registry.js';

/**
 * `test(value, param)` with the parameter as bytes, fixed at load or macro-expanded per evaluation
 * (e.g. `@streq %{tx.allowed}`). These operators never capture (ModSecurity sets TX:0 only for @rx/@pm).
 */
export function stringOperator(name: string, test: (value: string, param: string) => boolean): OperatorDef {
  return {
    name,
    create(param) {
      const operand = new Operand(param);
      const fixed = operand.constant;
      if (fixed !== null) return { evaluate: (_ctx, value) => test(value, fixed) };
      return { evaluate: (ctx, value) => test(value, operand.value(ctx)) };
    },
  };
}
