// @rx: PCRE regular expression match (pcre.ts translates PCRE to JS, or to the linear-time VM).
//
// ModSecurity v3 compiles @rx patterns with PCRE_DOTALL | PCRE_MULTILINE, so by default `.` matches
// a newline and `^`/`$` match at line breaks (LF); inline (?-s) / (?-m) turn that off. It matches once,
// from the start of the value; with the `capture` action groups 0-9 of that match go to TX:0-9 (groups
// that did not participate are left alone). An empty pattern always matches.
import { compilePcre, type PcreMatcher } from './pcre.js';
import { hasMacro } from './operand.js';
import { type OperatorContext, OperatorError, registerOperator } from './registry.js';

const MODSEC_OPTIONS = { dotAll: true, multiline: true } as const;
const MACRO_CACHE_SIZE = 32;

function capture(ctx: OperatorContext, m: PcreMatcher, value: string): boolean {
  const groups = m.exec(value);
  if (groups === null) return false;
  for (let g = 0; g < groups.length; g++) {
    const text = groups[g];
    if (text !== undefined) ctx.capture(g, text);
  }
  return true;
}

registerOperator({
  name: 'rx',
  create(param) {
    if (hasMacro(param)) {
      // Compiled per distinct expansion; a pattern that fails to compile at run time never matches.
      const cache = new Map<string, PcreMatcher | null>();
      return {
        evaluate(ctx, value) {
          const pattern = ctx.expand(param);
          let m = cache.get(pattern);
          if (m === undefined) {
            try {
              m = compilePcre(pattern === '' ? '.*' : pattern, MODSEC_OPTIONS);
            } catch {
              m = null;
            }
            if (cache.size >= MACRO_CACHE_SIZE) cache.clear();
            cache.set(pattern, m);
          }
          if (m === null) return false;
          return ctx.capturing ? capture(ctx, m, value) : m.test(value);
        },
      };
    }
    if (param === '') return { evaluate: () => true };
    let m: PcreMatcher;
    try {
      m = compilePcre(param, MODSEC_OPTIONS);
    } catch (e) {
      throw e instanceof OperatorError ? e : new OperatorError(`@rx: ${(e as Error).message}`);
    }
    return {
      evaluate: (ctx, value) => (ctx.capturing ? capture(ctx, m, value) : m.test(value)),
    };
  },
});
