import { registerTransformation } from './registry.js';

// t:replaceComments: each C-style /* ... */ comment becomes one space; an unterminated comment
// runs to the end of the value (and still becomes one space). A lone */ is left alone.
export function replaceComments(input: string): string {
  let start = input.indexOf('/*');
  if (start < 0) return input;
  let out = '';
  let pos = 0;
  while (start >= 0) {
    out += `${input.slice(pos, start)} `;
    const end = input.indexOf('*/', start + 2);
    if (end < 0) return out;
    pos = end + 2;
    start = input.indexOf('/*', pos);
  }
  return out + input.slice(pos);
}

registerTransformation('replaceComments', replaceComments);
