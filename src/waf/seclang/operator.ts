// The OPERATOR part of a SecRule: `@rx ^a`, `!@rx ^a`, a bare pattern (meaning @rx), `@detectSQLi`.
// A leading `!` negates. After `@name` the blanks before the parameter are skipped; the rest of
// the text is the parameter verbatim. A bare pattern is the whole text after an optional `!`.

import type { Rule } from '../rule.js';
import { ArgSyntaxError } from './errors.js';
import { canonicalOperator } from './names.js';

export type ParsedOperator = NonNullable<Rule['operator']>;

export function parseOperator(text: string): ParsedOperator {
  let i = 0;
  let negated = false;
  if (text[0] === '!') {
    negated = true;
    i = 1;
  }
  if (text[i] !== '@') return { name: 'rx', param: text.slice(i), negated };
  const nameStart = i + 1;
  let j = nameStart;
  while (j < text.length && text[j] !== ' ' && text[j] !== '\t') j++;
  const written = text.slice(nameStart, j);
  if (written === '') throw new ArgSyntaxError('missing operator name after @', i);
  const name = canonicalOperator(written);
  if (name === undefined) throw new ArgSyntaxError(`unknown operator @${written}`, i);
  while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
  return { name, param: text.slice(j), negated };
}
