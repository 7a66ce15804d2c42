// Shared body of the numeric comparison operators (one file each: eq.ts, ge.ts, gt.ts, le.ts, lt.ts).
import { parseInt64 } from './numeric.js';
import { Operand } from './operand.js';
import type { OperatorDef } from './registry.js';

type Num = number | bigint;

/**
 * value <op> param, both read as integers with `parse` (numeric.ts). The parameter is parsed once at
 * load unless it holds a macro (e.g. `@ge %{tx.max_num_args}`).
 */
export function numericOperator(
  name: string,
  compare: (value: Num, param: Num) => boolean,
  parse: (s: string) => Num = parseInt64,
): OperatorDef {
  return {
    name,
    create(param) {
      const operand = new Operand(param);
      const fixed = operand.constant === null ? null : parse(operand.constant);
      return {
        evaluate(ctx, value) {
          return compare(parse(value), fixed ?? parse(operand.value(ctx)));
        },
      };
    },
  };
}
