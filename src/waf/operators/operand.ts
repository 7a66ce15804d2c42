// Helpers shared by the operator files (not an operator itself; index.ts does not import it).
import { Buffer } from 'node:buffer';
import type { OperatorContext } from './registry.js';

const MACRO = /%\{[^}]+\}/;

/** True when a parameter holds a %{...} macro, so it must be expanded at evaluation time. */
export function hasMacro(param: string): boolean {
  return MACRO.test(param);
}

/**
 * Parameters are compared with byte-string values. A parameter holding characters above \xff is
 * taken to be Unicode text and converted to its UTF-8 bytes (what ModSecurity sees in a UTF-8 file).
 */
export function toBytes(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 255) return Buffer.from(s, 'utf8').toString('latin1');
  }
  return s;
}

/** A string parameter: fixed at rule load, or re-expanded per evaluation when it holds a macro. */
export class Operand {
  /** The parameter's bytes, or null when it must be expanded per evaluation. */
  readonly constant: string | null;
  private readonly raw: string;

  constructor(param: string) {
    this.raw = param;
    this.constant = hasMacro(param) ? null : toBytes(param);
  }

  value(ctx: OperatorContext): string {
    return this.constant ?? toBytes(ctx.expand(this.raw));
  }
}

/** C isspace() in the "C" locale: space, \t, \n, \v, \f, \r. */
export function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** ASCII-only lower-casing table (C tolower in the "C" locale), indexed by byte. */
export const LOWER: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = c >= 65 && c <= 90 ? c + 32 : c;
  return t;
})();
