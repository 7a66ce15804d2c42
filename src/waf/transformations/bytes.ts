// Shared helpers for the byte-string transformations (every char code is 0-255).
// Not a transformation itself: index.ts does not import it for side effects.
import { Buffer } from 'node:buffer';

/** Hex digit value by char code, -1 when the char is not [0-9A-Fa-f]. */
export const HEX_VALUE: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let c = 0; c < 10; c++) t[48 + c] = c;
  for (let c = 0; c < 6; c++) {
    t[65 + c] = 10 + c;
    t[97 + c] = 10 + c;
  }
  return t;
})();

/** Hex value of a char code (any code, not only 0-255), -1 when not a hex digit. */
export function hexValue(c: number): number {
  return c < 256 ? HEX_VALUE[c] : -1;
}

/** C isspace() in the "C" locale: space, \t, \n, \v, \f, \r. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

export const NBSP = 0xa0;
export const LOWER_HEX = '0123456789abcdef';

// One reusable output buffer: transformations are synchronous and never call each other while
// writing, so a single scratch area avoids an allocation per value. Huge values get their own.
const SCRATCH_KEEP_LIMIT = 1 << 20;
let scratch = Buffer.allocUnsafeSlow(4096);

/** A writable byte buffer of at least `size` bytes; valid until the next outBuffer() call. */
export function outBuffer(size: number): Buffer {
  if (size <= scratch.length) return scratch;
  if (size > SCRATCH_KEEP_LIMIT) return Buffer.allocUnsafe(size);
  let n = scratch.length;
  while (n < size) n *= 2;
  scratch = Buffer.allocUnsafeSlow(n);
  return scratch;
}

/** The first `len` bytes of `buf` as a byte string. */
export function byteString(buf: Buffer, len: number): string {
  return buf.toString('latin1', 0, len);
}

/** Copies input[0, end) into buf (latin1, one byte per char) and returns end. */
export function copyPrefix(input: string, buf: Buffer, end: number): number {
  for (let i = 0; i < end; i++) buf[i] = input.charCodeAt(i);
  return end;
}

/**
 * The byte ModSecurity keeps for a 16-bit code point written as %uHHHH or \uHHHH: the low byte,
 * except that full-width ASCII (U+FF01-U+FF5E) is folded onto its ASCII twin (0x21-0x7E).
 */
export function lowByteFullWidth(code: number): number {
  const low = code & 0xff;
  if ((code & 0xff00) === 0xff00 && low > 0 && low < 0x5f) return low + 0x20;
  return low;
}
