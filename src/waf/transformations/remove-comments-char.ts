import { byteString, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

// t:removeCommentsChar: deletes the comment markers themselves — /*, */, <!--, -->, -- and # —
// leaving the text between them.
export function removeCommentsChar(input: string): string {
  if (input.indexOf('/*') < 0 && input.indexOf('*/') < 0 && input.indexOf('--') < 0 && input.indexOf('#') < 0) {
    return input;
  }
  const n = input.length;
  const out = outBuffer(n);
  let o = 0;
  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    const c1 = input.charCodeAt(i + 1);
    if ((c === 47 && c1 === 42) || (c === 42 && c1 === 47)) {
      i += 2; // /* or */
    } else if (c === 60 && c1 === 33 && input.charCodeAt(i + 2) === 45 && input.charCodeAt(i + 3) === 45) {
      i += 4; // <!--
    } else if (c === 45 && c1 === 45) {
      i += input.charCodeAt(i + 2) === 62 ? 3 : 2; // --> or --
    } else if (c === 35) {
      i++; // #
    } else {
      out[o++] = c;
      i++;
    }
  }
  return byteString(out, o);
}

registerTransformation('removeCommentsChar', removeCommentsChar);
