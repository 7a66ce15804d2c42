import { byteString, outBuffer } from './bytes.js';
import { registerTransformation } from './registry.js';

// Per-byte action: 0 copy, 1 delete, 2 separator (one space), 3 '/' or '(' (drops a pending space),
// 4 uppercase letter (lowercased).
const ACTION: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (const c of '\\"\'^') t[c.charCodeAt(0)] = 1;
  for (const c of ' ,;\t\r\n') t[c.charCodeAt(0)] = 2;
  t[47] = 3;
  t[40] = 3;
  for (let c = 65; c <= 90; c++) t[c] = 4;
  return t;
})();

// t:cmdLine: deletes \ " ' ^; turns runs of space, tab, CR, LF, ',' and ';' into one space; drops
// that space when '/' or '(' follows; lowercases A-Z. Deleted chars do not end a separator run.
export function cmdLine(input: string): string {
  const n = input.length;
  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c < 256 && ACTION[c] !== 0 && ACTION[c] !== 3) break;
    i++;
  }
  if (i === n) return input; // nothing to delete, separate or lowercase
  const out = outBuffer(n);
  let o = 0;
  let space = false;
  for (i = 0; i < n; i++) {
    const c = input.charCodeAt(i);
    switch (c < 256 ? ACTION[c] : 0) {
      case 1:
        break;
      case 2:
        if (!space) {
          out[o++] = 32;
          space = true;
        }
        break;
      case 3:
        if (space) o--;
        space = false;
        out[o++] = c;
        break;
      case 4:
        out[o++] = c | 0x20;
        space = false;
        break;
      default:
        out[o++] = c;
        space = false;
    }
  }
  return byteString(out, o);
}

registerTransformation('cmdLine', cmdLine);
