// Array builtins: array.concat, array.slice, array.reverse.
import { arr, int } from './args.js';
import { registerBuiltin } from './registry.js';

registerBuiltin({
  name: 'array.concat',
  decl: { args: ['array', 'array'], result: 'array' },
  fn: (args) => {
    const a = arr(args, 0, 'array.concat');
    const b = arr(args, 1, 'array.concat');
    return a.concat(b);
  },
});

registerBuiltin({
  name: 'array.slice',
  decl: { args: ['array', 'number', 'number'], result: 'array' },
  fn: (args) => {
    const a = arr(args, 0, 'array.slice');
    let start = int(args, 1, 'array.slice');
    let stop = int(args, 2, 'array.slice');
    // Indexes are clamped, never an error: stop into [0, len], then start into [0, stop].
    if (stop < 0) stop = 0;
    else if (stop > a.length) stop = a.length;
    if (start < 0) start = 0;
    else if (start > stop) start = stop;
    return a.slice(start, stop);
  },
});

registerBuiltin({
  name: 'array.reverse',
  decl: { args: ['array'], result: 'array' },
  fn: (args) => arr(args, 0, 'array.reverse').slice().reverse(),
});
