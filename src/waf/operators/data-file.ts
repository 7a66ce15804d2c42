// Data files for @pmFromFile and @ipMatchFromFile (not an operator itself).
import { isCSpace, toBytes } from './operand.js';
import { type OperatorCreateOptions, OperatorError } from './registry.js';

/** Reads the named data files and returns their non-blank, non-comment lines. */
export function readDataLines(name: string, param: string, opts: OperatorCreateOptions): string[] {
  const files = param.split(/[ \t]+/).filter((f) => f !== '');
  if (files.length === 0) throw new OperatorError(`@${name}: missing file name`);
  const lines: string[] = [];
  for (const file of files) {
    if (/^https?:\/\//i.test(file)) throw new OperatorError(`@${name}: remote data files are not supported: ${file}`);
    let text: string;
    try {
      text = opts.readFile(file);
    } catch (e) {
      throw new OperatorError(`@${name}: cannot read ${file}: ${(e as Error).message}`);
    }
    for (let line of toBytes(text).split('\n')) {
      if (line.endsWith('\r')) line = line.slice(0, -1);
      let k = 0;
      while (k < line.length && isCSpace(line.charCodeAt(k))) k++;
      if (k === line.length || line[k] === '#') continue; // blank or comment (C isspace, not \xa0)
      lines.push(line);
    }
  }
  return lines;
}
