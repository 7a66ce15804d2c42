// Set builtins: `&` (and), `|` (or), intersection and union of a set of sets.
// (Set difference is `minus`, in numbers.ts; v1 dropped the deprecated set_diff.)
import { RSet, type Value } from '../value.js';
import { set, typeErr } from './args.js';
import { registerBuiltin } from './registry.js';

function intersect(a: RSet, b: RSet): RSet {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const out = new RSet();
  for (const v of small) if (large.has(v)) out.add(v);
  return out;
}

registerBuiltin({
  name: 'and',
  decl: { args: ['set', 'set'], result: 'set' },
  fn: (args) => intersect(set(args, 0, 'and'), set(args, 1, 'and')),
});

registerBuiltin({
  name: 'or',
  decl: { args: ['set', 'set'], result: 'set' },
  fn: (args) => {
    const a = set(args, 0, 'or');
    const b = set(args, 1, 'or');
    const out = RSet.from(a);
    for (const v of b) out.add(v);
    return out;
  },
});

/** The member sets of intersection/union's operand; a non-set member is an operand 1 error. */
function memberSets(name: string, args: Value[]): RSet[] {
  const outer = set(args, 0, name);
  const out: RSet[] = [];
  for (const m of outer.sorted()) {
    if (!(m instanceof RSet)) throw typeErr(name, 0, 'set', m);
    out.push(m);
  }
  return out;
}

registerBuiltin({
  name: 'intersection',
  decl: { args: ['set'], result: 'set' },
  fn: (args) => {
    const sets = memberSets('intersection', args);
    if (sets.length === 0) return new RSet();
    let acc = sets[0] as RSet;
    for (let i = 1; i < sets.length && acc.size > 0; i++) acc = intersect(acc, sets[i] as RSet);
    return acc;
  },
});

registerBuiltin({
  name: 'union',
  decl: { args: ['set'], result: 'set' },
  fn: (args) => {
    const out = new RSet();
    for (const s of memberSets('union', args)) for (const v of s) out.add(v);
    return out;
  },
});
