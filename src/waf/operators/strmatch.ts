// @strmatch: fast case-sensitive substring search for one fixed string (V8's indexOf uses a
// Boyer–Moore–Horspool search for longer needles, which is what ModSecurity's operator promises).
import { registerOperator } from './registry.js';
import { stringOperator } from './string-op.js';

registerOperator(stringOperator('strmatch', (value, param) => value.indexOf(param) >= 0));
