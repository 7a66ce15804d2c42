import { byteString, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

// Earliest end of a comment at or after `from`: either "*/" or "-->" closes it, as in ModSecurity
// (one "in comment" state for both comment kinds). Returns the index just past it, or -1.
function commentEnd(input: string, from: number): number {
  const a = input.indexOf('*/', from);
  const b = input.indexOf('-->', from);
  if (a < 0) return b < 0 ? -1 : b + 3;
  if (b < 0 || a < b) return a + 2;
  return b + 3;
}

// t:removeComments: removes /* ... */ and <!-- ... --> comments; "--" and "#" start a comment that
// runs to the end of the value. An unterminated /* or <!-- comment is replaced by one space.
export function removeComments(input: string): string {
  if (input.indexOf('/*') < 0 && input.indexOf('--') < 0 && input.indexOf('#') < 0) return input;
  const n = input.length;
  const out = outBuffer(n);
  let o = 0;
  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    const c1 = input.charCodeAt(i + 1);
    let bodyStart = -1;
    if (c === 47 && c1 === 42)
      bodyStart = i + 2; // /*
    else if (c === 60 && c1 === 33 && input.charCodeAt(i + 2) === 45 && input.charCodeAt(i + 3) === 45)
      bodyStart = i + 4; // <!--
    else if ((c === 45 && c1 === 45) || c === 35) break; // -- or #: the rest is a comment
    if (bodyStart < 0) {
      out[o++] = c;
      i++;
      continue;
    }
    const end = commentEnd(input, bodyStart);
    if (end < 0) {
      out[o++] = 32;
      break;
    }
    i = end;
  }
  return byteString(out, o);
}

registerTransformation('removeComments', removeComments);
