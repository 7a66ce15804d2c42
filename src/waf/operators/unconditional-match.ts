// @unconditionalMatch: always matches (what SecAction rules use).
import { registerOperator } from './registry.js';

registerOperator({ name: 'unconditionalMatch', create: () => ({ evaluate: () => true }) });
