import { registerTransformation } from './registry.js';

// t:normalizePath (also spelled normalisePath): collapses repeated slashes, removes "." segments and
// resolves ".." against the previous segment. A ".." that cannot be resolved is dropped in an
// absolute path (nothing goes above "/") and kept in a relative one ("a/../../b" -> "../b"). A
// trailing slash is kept only if the input had one and something is left ("./" -> "").
export function normalizePath(input: string): string {
  const n = input.length;
  if (n === 0 || (input.indexOf('.') < 0 && input.indexOf('//') < 0)) return input;
  const absolute = input.charCodeAt(0) === 47;
  const trailing = input.charCodeAt(n - 1) === 47;
  const segments: string[] = [];
  let start = 0;
  while (start < n) {
    let end = input.indexOf('/', start);
    if (end < 0) end = n;
    const len = end - start;
    if (len === 1 && input.charCodeAt(start) === 46) {
      // "." : nothing
    } else if (len === 2 && input.charCodeAt(start) === 46 && input.charCodeAt(start + 1) === 46) {
      const top = segments.length > 0 ? segments[segments.length - 1] : undefined;
      if (top !== undefined && top !== '..') segments.pop();
      else if (!absolute) segments.push('..');
    } else if (len > 0) {
      segments.push(input.slice(start, end));
    }
    start = end + 1;
  }
  if (segments.length === 0) return absolute ? '/' : '';
  return (absolute ? '/' : '') + segments.join('/') + (trailing ? '/' : '');
}

registerTransformation('normalizePath', normalizePath);
registerTransformation('normalisePath', normalizePath);
