// @detectXSS: cross-site scripting detection (HTML-tokenizer scan, see ../detect/xss.ts).
// Takes no parameter. With the `capture` action a match stores the inspected value in TX:0, as
// ModSecurity does (there is no fingerprint for XSS).

import { detect } from '../detect/xss.js';
import { registerOperator } from './registry.js';

registerOperator({
  name: 'detectXSS',
  create() {
    return {
      evaluate(ctx, value) {
        const match = detect(value);
        if (match && ctx.capturing) ctx.capture(0, value);
        return match;
      },
    };
  },
});
