// @noMatch: never matches.
import { registerOperator } from './registry.js';

registerOperator({ name: 'noMatch', create: () => ({ evaluate: () => false }) });
