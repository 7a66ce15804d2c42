// Include path expansion, as Apache does it: a path with wildcards (`*`, `?`, `[...]` in any
// segment) expands to the matching files in sorted order; a directory stands for every file
// under it, sorted; a plain path is itself. Dot files only match patterns that start with a dot.

import { readdirSync, statSync } from 'node:fs';
import { join, parse, resolve, sep } from 'node:path';

const WILDCARD = /[*?[]/;

export function hasWildcard(path: string): boolean {
  return WILDCARD.test(path);
}

function globSegment(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function kind(path: string): 'file' | 'dir' | undefined {
  try {
    const st = statSync(path);
    return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

function filesUnder(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const k = kind(p);
    if (k === 'file') out.push(p);
    else if (k === 'dir') filesUnder(p, out);
  }
}

/**
 * Expands `path` (as written; relative paths are read against `baseDir`). Returned paths keep the
 * form of the input (relative stays relative) so locations read as the user wrote them.
 */
export function expandInclude(path: string, baseDir: string): string[] {
  const abs = resolve(baseDir, path);
  if (!hasWildcard(path)) {
    if (kind(abs) !== 'dir') return [path];
    const out: string[] = [];
    filesUnder(abs, out);
    return out.map((p) => rebase(p, abs, path));
  }
  const root = parse(abs).root;
  const parts = abs
    .slice(root.length)
    .split(sep)
    .filter((p) => p !== '');
  let bases = [root];
  parts.forEach((part, idx) => {
    const last = idx === parts.length - 1;
    if (!hasWildcard(part)) {
      bases = bases.map((b) => join(b, part));
      return;
    }
    const re = globSegment(part);
    const next: string[] = [];
    for (const b of bases) {
      if (kind(b) !== 'dir') continue;
      for (const name of readdirSync(b).sort()) {
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        if (!re.test(name)) continue;
        const p = join(b, name);
        const k = kind(p);
        if (last ? k === 'file' : k === 'dir') next.push(p);
      }
    }
    bases = next;
  });
  const prefixAbs = resolve(baseDir, leadingLiteral(path));
  return bases.filter((p) => kind(p) === 'file').map((p) => rebase(p, prefixAbs, leadingLiteral(path)));
}

/** The part of `path` before its first wildcard segment. */
function leadingLiteral(path: string): string {
  const segs = path.split(/[\\/]/);
  const idx = segs.findIndex((s) => hasWildcard(s));
  const lit = segs.slice(0, idx).join('/');
  return lit === '' && path.startsWith('/') ? '/' : lit === '' ? '.' : lit;
}

function rebase(absPath: string, absPrefix: string, writtenPrefix: string): string {
  if (!absPath.startsWith(absPrefix)) return absPath;
  const rest = absPath.slice(absPrefix.length).replace(/^[\\/]+/, '');
  return writtenPrefix === '.' ? rest : join(writtenPrefix, rest);
}
