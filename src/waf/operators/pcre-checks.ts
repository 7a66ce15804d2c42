// Semantic checks run before a PCRE tree is emitted as a JS RegExp (or run on the VM). Each one
// rejects, with OperatorError, a construct on which JavaScript's backtracking semantics differ from
// PCRE's, so that a translated pattern never matches or captures differently from ModSecurity.
import type { Node, ParsedPattern } from './pcre-ast.js';
import { OperatorError } from './registry.js';

export function canMatchEmpty(n: Node): boolean {
  switch (n.type) {
    case 'chars':
    case 'newline':
      return false;
    case 'seq':
      return n.items.every(canMatchEmpty);
    case 'alt':
      return n.alts.some(canMatchEmpty);
    case 'group':
    case 'atomic':
      return canMatchEmpty(n.body);
    case 'repeat':
      return n.min === 0 || canMatchEmpty(n.body);
    default:
      return true;
  }
}

export function forEachChild(n: Node, f: (c: Node) => void): void {
  if (n.type === 'seq') n.items.forEach(f);
  else if (n.type === 'alt') n.alts.forEach(f);
  else if (n.type === 'group' || n.type === 'atomic' || n.type === 'look' || n.type === 'repeat') f(n.body);
}

function capturesIn(n: Node, out = new Set<number>()): Set<number> {
  if (n.type === 'group' && n.index > 0) out.add(n.index);
  forEachChild(n, (c) => capturesIn(c, out));
  return out;
}

/** Groups that are certainly set once `n` has matched. */
function surelySet(n: Node, out = new Set<number>()): Set<number> {
  switch (n.type) {
    case 'seq':
      for (const item of n.items) surelySet(item, out);
      break;
    case 'alt': {
      const sets = n.alts.map((a) => surelySet(a));
      for (const g of sets[0]) if (sets.every((s) => s.has(g))) out.add(g);
      break;
    }
    case 'group':
      if (n.index > 0) out.add(n.index);
      surelySet(n.body, out);
      break;
    case 'atomic':
      surelySet(n.body, out);
      break;
    case 'look':
      if (!n.negate) surelySet(n.body, out);
      break;
    case 'repeat':
      if (n.min > 0) surelySet(n.body, out);
      break;
  }
  return out;
}

/**
 * JS clears the groups inside a repeated group at each iteration and refuses empty iterations; PCRE
 * keeps a group's value from an earlier iteration and ends the loop on an empty one. The final
 * captures (TX:0-9) differ when a group inside a repetition may be skipped in an iteration or the
 * repeated part can match empty — so those patterns are rejected rather than capture differently.
 */
export function checkCaptures(n: Node): void {
  if (n.type === 'repeat' && n.max > 1) {
    const caps = capturesIn(n.body);
    if (caps.size > 0) {
      const always = surelySet(n.body);
      const skippable = n.max > 1 && [...caps].some((g) => !always.has(g));
      if (skippable || canMatchEmpty(n.body)) {
        throw new OperatorError(
          `regex: unsupported PCRE construct at offset ${n.offset}: capturing group inside a repetition that may ` +
            'skip it or match empty (PCRE and JavaScript keep different captures); use (?:...) or restructure',
        );
      }
    }
  }
  forEachChild(n, checkCaptures);
}

/**
 * A JS backreference to an unset group matches the empty string; in PCRE it fails. Accept only
 * backreferences whose group has certainly been set earlier in the same match path.
 */
export function checkBackrefs(p: ParsedPattern, n: Node, before: Set<number>): void {
  if (n.type === 'backref') {
    if (p.sharedGroups.has(n.index)) {
      throw new OperatorError(
        `regex: unsupported PCRE construct at offset ${n.offset}: backreference to a group number shared by (?|...)`,
      );
    }
    if (!before.has(n.index)) {
      throw new OperatorError(
        `regex: unsupported PCRE construct at offset ${n.offset}: backreference to group ${n.index}, which may be unset ` +
          'at that point (PCRE fails there, JavaScript would match empty)',
      );
    }
    return;
  }
  if (n.type === 'seq') {
    const cur = new Set(before);
    for (const item of n.items) {
      checkBackrefs(p, item, cur);
      surelySet(item, cur);
    }
    return;
  }
  forEachChild(n, (c) => checkBackrefs(p, c, before));
}

/** Length of every match of n, or -1 when it varies. */
export function fixedLength(n: Node): number {
  switch (n.type) {
    case 'chars':
      return 1;
    case 'empty':
    case 'assert':
    case 'look':
      return 0;
    case 'newline':
    case 'backref':
      return -1;
    case 'seq': {
      let sum = 0;
      for (const item of n.items) {
        const l = fixedLength(item);
        if (l < 0) return -1;
        sum += l;
      }
      return sum;
    }
    case 'alt': {
      const l = fixedLength(n.alts[0]);
      return n.alts.every((a) => fixedLength(a) === l) ? l : -1;
    }
    case 'group':
    case 'atomic':
      return fixedLength(n.body);
    case 'repeat': {
      const l = fixedLength(n.body);
      return l >= 0 && n.min === n.max ? l * n.min : -1;
    }
  }
}

/**
 * True when n may produce a non-empty match after an empty one in its order of preference
 * (`x*?`, `x??`, `(?:|a)`, `(?:a*|b)`). Conservative: may say true when it is not.
 */
function emptyBeforeNonEmpty(n: Node): boolean {
  switch (n.type) {
    case 'seq': {
      for (let k = 0; k < n.items.length; k++) {
        const item = n.items[k];
        const restNullable = n.items.every((o, j) => j === k || canMatchEmpty(o));
        if (restNullable && emptyBeforeNonEmpty(item)) return true;
      }
      return false;
    }
    case 'alt': {
      let seenNullable = false;
      for (const a of n.alts) {
        if (emptyBeforeNonEmpty(a)) return true;
        if (seenNullable && !alwaysEmpty(a)) return true;
        if (canMatchEmpty(a)) seenNullable = true;
      }
      return false;
    }
    case 'group':
    case 'atomic':
      return emptyBeforeNonEmpty(n.body);
    case 'repeat':
      if (alwaysEmpty(n.body) || n.max === 0) return false;
      if (canMatchEmpty(n.body)) return true;
      return n.mode === 'lazy' && n.min === 0;
    default:
      return false;
  }
}

function alwaysEmpty(n: Node): boolean {
  switch (n.type) {
    case 'chars':
    case 'newline':
    case 'backref':
      return false;
    case 'seq':
      return n.items.every(alwaysEmpty);
    case 'alt':
      return n.alts.every(alwaysEmpty);
    case 'group':
    case 'atomic':
      return alwaysEmpty(n.body);
    case 'repeat':
      return n.max === 0 || alwaysEmpty(n.body);
    default:
      return true;
  }
}

/**
 * (X? is emitted as an alternation, which needs none of this; see pcre.ts.)
 * An optional iteration that matches empty: PCRE accepts it and leaves the loop; JS rejects it and
 * backtracks into the body. Both reach the same positions, in the same order, unless the body can
 * prefer an empty match to a non-empty one — then the first match found differs (and with atomic
 * or possessive parts, whether there is a match at all), so such patterns are rejected.
 */
export function checkEmptyIterations(n: Node): void {
  if (n.type === 'repeat' && n.max > 1 && n.min < n.max && canMatchEmpty(n.body) && emptyBeforeNonEmpty(n.body)) {
    throw new OperatorError(
      `regex: unsupported PCRE construct at offset ${n.offset}: quantified group whose body may match empty before ` +
        'matching text (PCRE and JavaScript would prefer different matches); make the body non-empty',
    );
  }
  forEachChild(n, checkEmptyIterations);
}

/** Longest match length of n, -1 when unbounded. */
export function maxLength(n: Node): number {
  switch (n.type) {
    case 'chars':
      return 1;
    case 'newline':
      return 2;
    case 'seq': {
      let sum = 0;
      for (const i of n.items) {
        const l = maxLength(i);
        if (l < 0) return -1;
        sum += l;
      }
      return sum;
    }
    case 'alt': {
      let m = 0;
      for (const a of n.alts) {
        const l = maxLength(a);
        if (l < 0) return -1;
        m = Math.max(m, l);
      }
      return m;
    }
    case 'group':
    case 'atomic':
      return maxLength(n.body);
    case 'repeat': {
      const l = maxLength(n.body);
      return l < 0 || n.max === Infinity ? (l === 0 ? 0 : -1) : l * n.max;
    }
    case 'backref':
      return -1;
    default:
      return 0;
  }
}

/**
 * PCRE needs lookbehinds of bounded length (before 10.43: fixed length per branch) and rejects
 * `(?<=a+)`; so do we, rather than accept what ModSecurity would refuse to load.
 */
export function checkLookbehinds(n: Node): void {
  if (n.type === 'look' && n.behind && maxLength(n.body) < 0) {
    throw new OperatorError(`regex: lookbehind assertion at offset ${n.offset} is not of bounded length`);
  }
  forEachChild(n, checkLookbehinds);
}
