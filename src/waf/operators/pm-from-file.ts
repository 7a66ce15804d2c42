// @pmFromFile (alias @pmf): like @pm, with the phrases read from data files. The parameter names one
// or more files (space-separated, relative to the rule file); each line is one phrase, taken as
// written (a trailing CR is dropped). Blank lines and lines whose first non-blank is '#' are skipped.
// Remote (https://) lists are not fetched: they fail rule load.
import { PhraseMatcher, phraseOperator } from './aho-corasick.js';
import { readDataLines } from './data-file.js';
import { type OperatorDef, registerOperator } from './registry.js';

function def(name: string): OperatorDef {
  return {
    name,
    create(param, opts) {
      return phraseOperator(new PhraseMatcher(readDataLines(name, param, opts)));
    },
  };
}

registerOperator(def('pmFromFile'));
registerOperator(def('pmf'));
