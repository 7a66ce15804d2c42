// Lexer and parser for Go's text/template language (the part strings.render_template needs):
// text, {{pipelines}}, {{- trim markers -}}, comments, if / else if / else, range (with $i, $v
// :=, else, break, continue), with, variables, field chains, function calls, parenthesised
// pipelines and literals. Parse errors read like Go's ("template: template:1: unclosed action").

import type { GoValue } from './gofmt.js';

export class TemplateError extends Error {}

export type Operand =
  | { k: 'field'; pos: number; idents: string[] } // .a.b
  | { k: 'var'; pos: number; name: string; idents: string[] } // $x.a
  | { k: 'dot'; pos: number }
  | { k: 'ident'; pos: number; name: string } // function name
  | { k: 'chain'; pos: number; node: Operand; idents: string[] } // (pipe).a
  | { k: 'pipe'; pos: number; pipe: Pipeline }
  | { k: 'string'; pos: number; value: string }
  | { k: 'number'; pos: number; text: string }
  | { k: 'bool'; pos: number; value: boolean }
  | { k: 'nil'; pos: number };

export interface Command {
  pos: number;
  args: Operand[];
}

export interface Pipeline {
  pos: number;
  decl: string[];
  isAssign: boolean;
  cmds: Command[];
}

export type TNode =
  | { k: 'text'; text: string }
  | { k: 'action'; pos: number; pipe: Pipeline }
  | { k: 'if' | 'with' | 'range'; pos: number; pipe: Pipeline; list: TNode[]; elseList: TNode[] | null }
  | { k: 'break' | 'continue'; pos: number };

const FUNCS = new Set([
  'and',
  'or',
  'not',
  'len',
  'index',
  'slice',
  'print',
  'printf',
  'println',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'html',
  'js',
  'urlquery',
  'call',
]);

type TokKind =
  | 'text'
  | 'left'
  | 'right'
  | 'field'
  | 'var'
  | 'dot'
  | 'ident'
  | 'string'
  | 'raw'
  | 'char'
  | 'number'
  | 'punct'
  | 'eof';

interface Tok {
  k: TokKind;
  v: string;
  pos: number;
  trimLeft?: boolean;
  adj?: boolean; // starts right where the previous token ended (a field chain continues)
}

const SPACE = ' \t\r\n';

/** Splits a template into tokens; actions are tokenized, text between them kept whole. */
function lex(src: string, fail: (pos: number, msg: string) => never): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let trimNext = false;
  while (i <= src.length) {
    let j = src.indexOf('{{', i);
    if (j < 0) j = src.length;
    let text = src.slice(i, j);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    trimNext = false;
    let trimLeft = false;
    if (j < src.length && src[j + 2] === '-' && SPACE.includes(src[j + 3] ?? '')) {
      trimLeft = true;
      text = text.replace(/[ \t\r\n]+$/, '');
    }
    if (text !== '') toks.push({ k: 'text', v: text, pos: i });
    if (j >= src.length) break;
    i = j + 2 + (trimLeft ? 2 : 0);
    // Comments.
    let k = i;
    while (SPACE.includes(src[k] ?? 'x') && trimLeft) k++;
    if (src.startsWith('/*', k)) {
      const end = src.indexOf('*/', k + 2);
      if (end < 0) fail(j, 'unclosed comment');
      let after = end + 2;
      if (SPACE.includes(src[after] ?? 'x') && src[after + 1] === '-' && src.startsWith('}}', after + 2)) {
        trimNext = true;
        after += 2;
      }
      if (!src.startsWith('}}', after)) fail(j, 'comment ends before closing delimiter');
      i = after + 2;
      continue;
    }
    toks.push({ k: 'left', v: '{{', pos: j, trimLeft });
    // Inside an action.
    for (;;) {
      if (i >= src.length) fail(j, 'unclosed action');
      const c = src[i] as string;
      if (SPACE.includes(c)) {
        let e = i;
        while (e < src.length && SPACE.includes(src[e] as string)) e++;
        if (src[e] === '-' && src.startsWith('}}', e + 1)) {
          toks.push({ k: 'right', v: '}}', pos: e });
          trimNext = true;
          i = e + 3;
          break;
        }
        i = e;
        continue;
      }
      if (src.startsWith('}}', i)) {
        toks.push({ k: 'right', v: '}}', pos: i });
        i += 2;
        break;
      }
      const start = i;
      if (c === '"') {
        i++;
        while (i < src.length && src[i] !== '"') {
          if (src[i] === '\\') i++;
          if (src[i] === '\n') fail(start, 'unterminated quoted string');
          i++;
        }
        if (i >= src.length) fail(start, 'unterminated quoted string');
        toks.push({ k: 'string', v: src.slice(start, ++i), pos: start });
      } else if (c === '`') {
        const end = src.indexOf('`', i + 1);
        if (end < 0) fail(start, 'unterminated raw quoted string');
        toks.push({ k: 'raw', v: src.slice(i + 1, end), pos: start });
        i = end + 1;
      } else if (c === "'") {
        const m = /^'(\\.[^']*|[^\\'])'/su.exec(src.slice(i));
        if (!m) fail(start, 'unterminated character constant');
        toks.push({ k: 'char', v: m[0], pos: start });
        i += m[0].length;
      } else if (c === '$' || c === '.') {
        const m = /^[$.][\p{L}\p{Nd}_]*/u.exec(src.slice(i)) as RegExpExecArray;
        if (c === '.' && /^\.[0-9]/.test(src.slice(i))) {
          const n = /^\.[0-9][0-9a-zA-Z_.+-]*/.exec(src.slice(i)) as RegExpExecArray;
          toks.push({ k: 'number', v: n[0], pos: start });
          i += n[0].length;
        } else {
          toks.push({ k: c === '$' ? 'var' : m[0] === '.' ? 'dot' : 'field', v: m[0], pos: start });
          i += m[0].length;
        }
      } else if (/[0-9]/.test(c) || ((c === '-' || c === '+') && /[0-9.]/.test(src[i + 1] ?? ''))) {
        const n = /^[+-]?(0[xX][0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?([pP][+-]?[0-9_]+)?|[0-9_]*\.?[0-9_]*([eE][+-]?[0-9_]+)?)i?/.exec(
          src.slice(i),
        ) as RegExpExecArray;
        toks.push({ k: 'number', v: n[0], pos: start });
        i += n[0].length;
      } else if (/[\p{L}_]/u.test(c)) {
        const m = /^[\p{L}\p{Nd}_]+/u.exec(src.slice(i)) as RegExpExecArray;
        toks.push({ k: 'ident', v: m[0], pos: start });
        i += m[0].length;
      } else if (src.startsWith(':=', i)) {
        toks.push({ k: 'punct', v: ':=', pos: start });
        i += 2;
      } else if ('()|,='.includes(c)) {
        toks.push({ k: 'punct', v: c, pos: start });
        i++;
      } else {
        const cp = c.codePointAt(0) as number;
        fail(start, `unrecognized character in action: U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`);
      }
    }
  }
  toks.push({ k: 'eof', v: '', pos: src.length });
  for (let t = 1; t < toks.length; t++) {
    const prev = toks[t - 1] as Tok;
    (toks[t] as Tok).adj = prev.pos + prev.v.length === (toks[t] as Tok).pos && prev.k !== 'raw' && prev.k !== 'string';
  }
  return toks;
}

/** Parses a template; throws TemplateError with Go's message text. */
export function parseTemplate(src: string, name = 'template'): TNode[] {
  const line = (pos: number) => 1 + (src.slice(0, pos).match(/\n/g)?.length ?? 0);
  const fail = (pos: number, msg: string): never => {
    throw new TemplateError(`template: ${name}:${line(pos)}: ${msg}`);
  };
  const toks = lex(src, fail);
  let p = 0;
  const peek = (o = 0) => toks[p + o] as Tok;
  const next = () => toks[p++] as Tok;
  const vars: string[][] = [['$']];
  const known = (v: string) => vars.some((scope) => scope.includes(v));

  function expectRight(ctx: string): void {
    const t = next();
    if (t.k !== 'right') fail(t.pos, `unexpected "${t.v}" in ${ctx}`);
  }

  function fieldChain(idents: string[]): void {
    while (peek().k === 'field' && peek().adj) idents.push(next().v.slice(1));
  }

  function operand(): Operand | null {
    const t = peek();
    let op: Operand;
    switch (t.k) {
      case 'field':
        next();
        op = { k: 'field', pos: t.pos, idents: [t.v.slice(1)] };
        fieldChain(op.idents);
        return op;
      case 'var': {
        next();
        if (!known(t.v)) fail(t.pos, `undefined variable "${t.v}"`);
        const v: Operand = { k: 'var', pos: t.pos, name: t.v, idents: [] };
        fieldChain(v.idents);
        return v;
      }
      case 'dot':
        next();
        return { k: 'dot', pos: t.pos };
      case 'string':
      case 'raw':
        next();
        return { k: 'string', pos: t.pos, value: t.k === 'raw' ? t.v : unquote(t.v, t.pos) };
      case 'char':
      case 'number':
        next();
        try {
          parseNumber(t.v);
        } catch (e) {
          fail(t.pos, (e as Error).message);
        }
        return { k: 'number', pos: t.pos, text: t.v };
      case 'ident':
        if (t.v === 'true' || t.v === 'false') {
          next();
          return { k: 'bool', pos: t.pos, value: t.v === 'true' };
        }
        if (t.v === 'nil') {
          next();
          return { k: 'nil', pos: t.pos };
        }
        if (['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue'].includes(t.v)) return null;
        if (!FUNCS.has(t.v)) fail(t.pos, `function "${t.v}" not defined`);
        next();
        return { k: 'ident', pos: t.pos, name: t.v };
      case 'punct':
        if (t.v === '(') {
          next();
          const pipe = pipeline('parenthesized pipeline', ')');
          const close = next();
          if (close.v !== ')') fail(close.pos, 'unclosed left paren');
          op = { k: 'pipe', pos: t.pos, pipe };
          if (peek().k === 'field' && peek().adj) {
            const idents: string[] = [];
            fieldChain(idents);
            op = { k: 'chain', pos: t.pos, node: op, idents };
          }
          return op;
        }
        return null;
      default:
        return null;
    }
  }

  function pipeline(ctx: string, end: string): Pipeline {
    const pos = peek().pos;
    const decl: string[] = [];
    let isAssign = false;
    // $x := / $x = / $i, $v :=
    if (peek().k === 'var') {
      const save = p;
      const names = [next().v];
      if (peek().v === ',' && peek(1).k === 'var') {
        next();
        names.push(next().v);
      }
      const op = peek();
      if (op.k === 'punct' && (op.v === ':=' || op.v === '=')) {
        next();
        isAssign = op.v === '=';
        if (isAssign) {
          for (const n of names) if (!known(n)) fail(op.pos, `undefined variable "${n}"`);
        } else (vars[vars.length - 1] as string[]).push(...names);
        decl.push(...names);
      } else p = save;
    }
    const cmds: Command[] = [];
    const isEnd = (t: Tok) => t.k === 'right' || (end === ')' && t.v === ')');
    for (;;) {
      const t = peek();
      if (isEnd(t)) {
        if (cmds.length === 0) fail(t.pos, `missing value for ${ctx}`);
        break;
      }
      const args: Operand[] = [];
      for (let op = operand(); op !== null; op = operand()) args.push(op);
      const after = peek();
      if (args.length === 0) fail(after.pos, `unexpected "${after.v}" in ${ctx}`);
      cmds.push({ pos: t.pos, args });
      if (after.k === 'punct' && after.v === '|') {
        next();
        if (isEnd(peek())) fail(peek().pos, 'missing value for command');
      } else if (!isEnd(after)) fail(after.pos, `unexpected "${after.v}" in operand`);
    }
    return { pos, decl, isAssign, cmds };
  }

  /** Nodes up to {{end}} / {{else}}: returns the list and the keyword that ended it. */
  function list(inLoop: boolean, top: boolean): [TNode[], string, number] {
    const nodes: TNode[] = [];
    for (;;) {
      const t = next();
      if (t.k === 'eof') {
        if (!top) fail(t.pos, 'unexpected EOF');
        return [nodes, 'eof', t.pos];
      }
      if (t.k === 'text') {
        nodes.push({ k: 'text', text: t.v });
        continue;
      }
      // t is '{{'
      const kw = peek();
      if (kw.k === 'ident' && (kw.v === 'end' || kw.v === 'else')) {
        if (top) fail(kw.pos, `unexpected {{${kw.v}}}`);
        next();
        if (kw.v === 'end') expectRight('end');
        return [nodes, kw.v, kw.pos];
      }
      if (kw.k === 'ident' && (kw.v === 'if' || kw.v === 'with' || kw.v === 'range')) {
        next();
        nodes.push(control(kw.v, kw.pos, inLoop));
        continue;
      }
      if (kw.k === 'ident' && (kw.v === 'break' || kw.v === 'continue')) {
        next();
        if (!inLoop) fail(kw.pos, `{{${kw.v}}} outside {{range}}`);
        expectRight(kw.v);
        nodes.push({ k: kw.v, pos: kw.pos });
        continue;
      }
      if (kw.k === 'ident' && ['define', 'template', 'block'].includes(kw.v)) fail(kw.pos, `{{${kw.v}}} is not supported`);
      const pipe = pipeline('command', '}}');
      next(); // }}
      nodes.push({ k: 'action', pos: kw.pos, pipe });
    }
  }

  function control(kind: 'if' | 'with' | 'range', pos: number, inLoop: boolean): TNode {
    vars.push([]);
    const pipe = pipeline(kind, '}}');
    next(); // }}
    const [body, stop] = list(inLoop || kind === 'range', false);
    let elseList: TNode[] | null = null;
    if (stop === 'else') {
      // {{else if ...}} / {{else with ...}} nest a new control in the else branch.
      const t = peek();
      if ((kind === 'if' && t.k === 'ident' && t.v === 'if') || (kind === 'with' && t.k === 'ident' && t.v === 'with')) {
        next();
        elseList = [control(kind, t.pos, inLoop)];
      } else {
        expectRight('else');
        const [e, stop2, at] = list(inLoop, false);
        if (stop2 !== 'end') fail(at, 'expected end; found {{else}}');
        elseList = e;
      }
    }
    vars.pop();
    return { k: kind, pos, pipe, list: body, elseList };
  }

  function unquote(q: string, pos: number): string {
    const out = goUnquote(q);
    return out ?? fail(pos, `invalid syntax`);
  }

  return list(false, true)[0];
}

const ESCAPES: Record<string, string> = { a: '\u0007', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** Go's strconv.Unquote for "..." and '...' literals; null when malformed. */
export function goUnquote(q: string): string | null {
  const quote = q[0] as string;
  if (q.length < 2 || q[q.length - 1] !== quote) return null;
  const body = q.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === quote || c === '\n') return null;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return null;
    if (ESCAPES[e] !== undefined) out += ESCAPES[e];
    else if (e === quote) out += e;
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const h = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) return null;
      const cp = Number.parseInt(h, 16);
      if (cp > 0x10ffff || (e !== 'x' && cp >= 0xd800 && cp <= 0xdfff)) return null;
      out += String.fromCodePoint(cp);
      i += n;
    } else if (e >= '0' && e <= '7') {
      const o = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o) || Number.parseInt(o, 8) > 255) return null;
      out += String.fromCodePoint(Number.parseInt(o, 8));
      i += 2;
    } else return null;
  }
  if (quote === "'" && Array.from(out).length !== 1) return null;
  return out;
}

/** A number or character constant's Go value (int, or float64 when it has a fraction/exponent). */
export function parseNumber(text: string): GoValue {
  if (text.startsWith("'")) {
    const m = /^'(.*)'$/su.exec(text);
    const body = m ? m[1] : '';
    const esc: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34 };
    const cp = body?.startsWith('\\')
      ? (esc[body[1] as string] ?? Number.parseInt(body.slice(2), body[1] === 'x' || body[1] === 'u' ? 16 : 8))
      : body?.codePointAt(0);
    if (cp === undefined || Number.isNaN(cp)) throw new TemplateError(`malformed character constant: ${text}`);
    return { k: 'int', v: BigInt(cp) };
  }
  const t = text.replace(/_/g, '');
  if (/i$/.test(t)) throw new TemplateError(`complex constants are not supported: ${text}`);
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(t);
  if (m) {
    let digits = m[2] as string;
    if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
    const n = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
    if (n >= 2n ** 63n || n < -(2n ** 63n)) throw new TemplateError(`${text} overflows int`);
    return { k: 'int', v: n };
  }
  const f = Number(t);
  if (Number.isNaN(f)) throw new TemplateError(`illegal number syntax: "${text}"`);
  return { k: 'float', v: f };
}
