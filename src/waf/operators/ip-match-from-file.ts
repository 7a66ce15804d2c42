// @ipMatchFromFile (alias @ipMatchF): like @ipMatch with the addresses read from data files (one or
// more entries per line, comma-separated; '#' comments and blank lines skipped; see data-file.ts).
import { addIpList, IpSet } from './ip-set.js';
import { readDataLines } from './data-file.js';
import { type OperatorDef, OperatorError, registerOperator } from './registry.js';

function def(name: string): OperatorDef {
  return {
    name,
    create(param, opts) {
      const set = new IpSet();
      for (const line of readDataLines(name, param, opts)) {
        const hash = line.indexOf('#');
        const err = addIpList(set, hash < 0 ? line : line.slice(0, hash));
        if (err !== null) throw new OperatorError(`@${name}: ${err}`);
      }
      return { evaluate: (_ctx, value) => set.has(value) };
    },
  };
}

registerOperator(def('ipMatchFromFile'));
registerOperator(def('ipMatchF'));
