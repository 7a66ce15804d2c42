// Go (RE2) regular expressions, as go-ftw uses for match_regex / no_match_regex / response_contains
// and --include, turned into JS RegExps. Covered: leading flag groups `(?i)` `(?s)` `(?m)`, `(?P<n>`,
// `\A` `\z`, `\Q...\E`, and POSIX classes inside brackets. Constructs RE2 rejects or JS lacks
// (inline flag groups elsewhere, `\C`, `(?U)`) raise GoRegexError rather than silently differ.

export class GoRegexError extends Error {
  override name = 'GoRegexError';
}

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

function escapeLiteral(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

export function goRegex(source: string): RegExp {
  let src = source;
  let flags = '';
  for (let m = /^\(\?([imsU]+)\)/.exec(src); m; m = /^\(\?([imsU]+)\)/.exec(src)) {
    const f = m[1] as string;
    if (f.includes('U')) throw new GoRegexError('(?U) (ungreedy) is not supported');
    for (const c of f) if (!flags.includes(c)) flags += c;
    src = src.slice(m[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      if (n === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = end < 0 ? src.slice(i + 2) : src.slice(i + 2, end);
        out += escapeLiteral(lit);
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'z') out += '(?![\\s\\S])';
      else if (n === 'C') throw new GoRegexError('\\C is not supported');
      else out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
      if (posix) {
        const set = POSIX[posix[2] as string];
        if (set === undefined) throw new GoRegexError(`unknown POSIX class ${posix[0]}`);
        if (posix[1]) throw new GoRegexError(`negated POSIX class ${posix[0]} is not supported`);
        out += set;
        i += posix[0].length - 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal in RE2.
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '(' && /^\(\?[imsU-]+[:)]/.test(src.slice(i))) throw new GoRegexError('inline flag groups are not supported');
    out += c;
  }
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw new GoRegexError(`invalid regular expression ${JSON.stringify(source)}: ${(e as Error).message}`);
  }
}
