// Comparison operators (==, !=, <, <=, >, >=). They accept operands of any type and use Rego's
// total order over values (null < boolean < number < string < array < object < set).
import { compare, equal, type Value } from '../value.js';
import { registerBuiltin } from './registry.js';

const decl = { args: ['any', 'any'], result: 'boolean' } as const;

function cmp(name: string, test: (a: Value, b: Value) => boolean): void {
  registerBuiltin({
    name,
    decl: { args: [...decl.args], result: decl.result },
    fn: (args) => test(args[0] as Value, args[1] as Value),
  });
}

cmp('equal', (a, b) => equal(a, b));
cmp('neq', (a, b) => !equal(a, b));
cmp('lt', (a, b) => compare(a, b) < 0);
cmp('lte', (a, b) => compare(a, b) <= 0);
cmp('gt', (a, b) => compare(a, b) > 0);
cmp('gte', (a, b) => compare(a, b) >= 0);
