// Path patterns shared by the router (route match) and access rules. Each pattern is compiled once
// into a predicate; globs become a single anchored RegExp so matching is one regex test per request.
import { StageConfigError } from './stage.js';

export type PathPatternType = 'prefix' | 'exact' | 'glob';
export type PathMatcher = (path: string) => boolean;

const matchAll: PathMatcher = () => true;

// Compile a path pattern.
// - prefix: segment-aware. "/api" matches "/api", "/api/" and "/api/x" but not "/apix". A trailing
//   slash in the pattern is ignored ("/api/" behaves as "/api") so both spellings mean "this subtree".
//   "/" matches every path.
// - exact: the path must equal the pattern.
// - glob: `*` matches within one segment (no "/"); `**` as a whole segment matches any number of
//   segments, zero included ("/a/**" matches "/a" and "/a/x/y"; "/a/**/b" matches "/a/b" and
//   "/a/x/y/b"); `**` inside a segment matches anything; `?` matches one character other than "/".
//   Every other character is literal.
// Matching is case-sensitive; the path is the URL path without the query string.
export function compilePathPattern(pattern: string, type: PathPatternType): PathMatcher {
  if (typeof pattern !== 'string' || !pattern.startsWith('/'))
    throw new StageConfigError(`path pattern "${String(pattern)}" must start with "/"`);
  switch (type) {
    case 'exact':
      return (path) => path === pattern;
    case 'prefix':
      return compilePrefix(pattern);
    case 'glob': {
      const re = globToRegExp(pattern);
      return (path) => re.test(path);
    }
    default:
      throw new StageConfigError(`unknown path pattern type "${String(type)}" (use prefix, exact or glob)`);
  }
}

/** True when the pattern uses a glob wildcard (`*` or `?`). */
export function hasGlobWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

function compilePrefix(pattern: string): PathMatcher {
  let base = pattern;
  while (base.length > 1 && base.endsWith('/')) base = base.slice(0, -1);
  if (base === '/') return matchAll;
  const withSlash = `${base}/`;
  return (path) => path === base || path.startsWith(withSlash);
}

const REGEX_SPECIAL = /[.+^${}()|[\]\\]/;

/** Translate a glob into an anchored RegExp (exported for tests and diagnostics). */
export function globToRegExp(pattern: string): RegExp {
  let src = '';
  const n = pattern.length;
  for (let i = 0; i < n; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      let j = i;
      while (j < n && pattern[j] === '*') j++;
      const stars = j - i;
      if (stars === 1) {
        src += '[^/]*';
      } else {
        const atSegmentStart = i > 0 && pattern[i - 1] === '/';
        const next = pattern[j];
        if (atSegmentStart && next === '/') {
          // "/**/" : zero or more whole segments, then the slash that follows.
          src += '(?:[^/]*/)*';
          j++; // the "/" is consumed by the group
        } else if (atSegmentStart && next === undefined) {
          // trailing "/**": the bare parent path or anything below it.
          src = `${src.slice(0, -1)}(?:/.*)?`; // replaces the "/" already emitted
        } else {
          src += '.*';
        }
      }
      i = j - 1;
    } else if (c === '?') {
      src += '[^/]';
    } else if (REGEX_SPECIAL.test(c)) {
      src += `\\${c}`;
    } else {
      src += c;
    }
  }
  return new RegExp(`^${src}$`);
}
