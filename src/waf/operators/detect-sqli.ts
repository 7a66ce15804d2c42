// @detectSQLi: SQL injection detection (libinjection-style fingerprinting, see ../detect/sqli.ts).
// Takes no parameter. With the `capture` action a match stores the fingerprint in TX:0, as
// ModSecurity does.

import { detect } from '../detect/sqli.js';
import { registerOperator } from './registry.js';

registerOperator({
  name: 'detectSQLi',
  create() {
    return {
      evaluate(ctx, value) {
        const r = detect(value);
        if (r.match && ctx.capturing) ctx.capture(0, r.fingerprint);
        return r.match;
      },
    };
  },
});
