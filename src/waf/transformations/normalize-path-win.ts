import { normalizePath } from './normalize-path.js';
import { registerTransformation } from './registry.js';

// t:normalizePathWin (also normalisePathWin): backslashes become forward slashes, then normalizePath.
export function normalizePathWin(input: string): string {
  return normalizePath(input.indexOf('\\') < 0 ? input : input.replaceAll('\\', '/'));
}

registerTransformation('normalizePathWin', normalizePathWin);
registerTransformation('normalisePathWin', normalizePathWin);
