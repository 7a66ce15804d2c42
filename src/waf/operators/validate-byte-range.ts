// @validateByteRange: matches when the value holds a byte outside the allowed set, given as a
// comma-separated list of values and inclusive ranges (`1-255`, `9,10,13,32-126`). Values must be
// 0-255 and ranges ascending, or rule load fails. An empty value has nothing outside the set.
import { OperatorError, registerOperator } from './registry.js';

function parseAllowed(param: string): Uint8Array {
  const allowed = new Uint8Array(256);
  const num = (text: string, what: string): number => {
    const t = text.trim();
    if (!/^\d{1,3}$/.test(t) || Number(t) > 255)
      throw new OperatorError(`@validateByteRange: invalid ${what} ${JSON.stringify(text)}`);
    return Number(t);
  };
  let any = false;
  for (const part of param.split(',')) {
    if (part.trim() === '') continue;
    const dash = part.indexOf('-');
    const lo = num(dash < 0 ? part : part.slice(0, dash), dash < 0 ? 'byte value' : 'range start');
    const hi = dash < 0 ? lo : num(part.slice(dash + 1), 'range end');
    if (lo > hi) throw new OperatorError(`@validateByteRange: invalid range ${JSON.stringify(part.trim())}`);
    allowed.fill(1, lo, hi + 1);
    any = true;
  }
  if (!any) throw new OperatorError('@validateByteRange: no byte range given');
  return allowed;
}

registerOperator({
  name: 'validateByteRange',
  create(param) {
    const allowed = parseAllowed(param);
    return {
      evaluate(_ctx, value) {
        for (let i = 0; i < value.length; i++) {
          const c = value.charCodeAt(i);
          if (c > 255 || allowed[c] === 0) return true;
        }
        return false;
      },
    };
  },
});
