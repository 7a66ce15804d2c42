// sprintf(format, values): Go's fmt.Sprintf over the operands as OPA passes them to Go. OPA turns
// integral numbers into int (or *big.Int beyond int64), other numbers into float64, strings into
// string, and every other value (booleans, null, arrays, sets, objects) into its Rego literal text,
// a string. So %d of an array prints %!d(string=[1, 2]) and %v of a set prints {1, 2}.
import { formatNumber, type RObject, RSet, type Value } from '../value.js';
import { arr, str } from './args.js';
import { type GoValue, goSprintf } from './gofmt.js';
import { goQuote } from './gostrconv.js';
import { registerBuiltin } from './registry.js';

const INT64_LIMIT = 2 ** 63;

/** A Rego value's literal text as OPA prints it (Term.String(): Go-quoted strings, sorted sets). */
export function regoLiteral(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return formatNumber(v);
    case 'string':
      return goQuote(v);
  }
  if (Array.isArray(v)) return `[${v.map(regoLiteral).join(', ')}]`;
  if (v instanceof RSet) return v.size === 0 ? 'set()' : `{${v.sorted().map(regoLiteral).join(', ')}}`;
  const o = v as RObject;
  return `{${o
    .sortedKeys()
    .map((k) => `${regoLiteral(k)}: ${regoLiteral(o.get(k) as Value)}`)
    .join(', ')}}`;
}

/** The Go value OPA's sprintf hands to fmt for one operand. */
export function sprintfArg(v: Value): GoValue {
  if (typeof v === 'number') {
    // Integral doubles stand for integer literals (beyond 2^53 they are the double the literal
    // rounded to), so they print as Go integers do rather than in exponent form.
    if (Number.isInteger(v)) {
      const b = BigInt(v);
      return v >= -INT64_LIMIT && v < INT64_LIMIT ? { k: 'int', v: b } : { k: 'bigint', v: b };
    }
    return { k: 'float', v };
  }
  if (typeof v === 'string') return { k: 'string', v };
  return { k: 'string', v: regoLiteral(v) };
}

registerBuiltin({
  name: 'sprintf',
  decl: { args: ['string', 'array'], result: 'string' },
  fn: (args) => {
    const format = str(args, 0, 'sprintf');
    const values = arr(args, 1, 'sprintf');
    return goSprintf(format, values.map(sprintfArg));
  },
});
