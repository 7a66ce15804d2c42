// The subset of Go text/template (+ the sprig functions) that go-ftw expands in a stage's `data`:
// text with `{{ pipeline }}` actions, `{{-`/`-}}` whitespace trimming, comments, string / raw-string /
// number / bool literals, parenthesised pipelines, `|` pipes and the functions in FUNCS. Control
// actions (if/range/with/define...) are not supported and fail like a template parse error does.
// Everything works on byte strings (char codes 0-255): the input is the UTF-8 bytes of the YAML text,
// and the output goes on the wire as is.

export class TemplateError extends Error {
  override name = 'TemplateError';
}

type Value = string | number | boolean;

const MAX_OUTPUT = 16 << 20;

function toStr(v: Value): string {
  return typeof v === 'string' ? v : String(v);
}

function count(v: Value, fn: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n)) throw new TemplateError(`${fn}: expected an integer, got ${JSON.stringify(v)}`);
  return n;
}

function base64Decode(s: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return '';
  return Buffer.from(s, 'base64').toString('latin1');
}

// Go's url.QueryEscape on bytes: unreserved bytes stay, space becomes '+', the rest %XX.
export function queryEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] as string;
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (c === 0x20) out += '+';
    else out += `%${c.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** fmt.Sprint: operands joined, with a space between two neighbours when neither is a string. */
function sprint(args: Value[]): string {
  let out = '';
  args.forEach((a, i) => {
    const prev = args[i - 1];
    if (i > 0 && typeof a !== 'string' && prev !== undefined && typeof prev !== 'string') out += ' ';
    out += toStr(a);
  });
  return out;
}

function arity(fn: string, args: Value[], n: number): void {
  if (args.length !== n) throw new TemplateError(`wrong number of args for ${fn}: want ${n} got ${args.length}`);
}

/** A function of exactly one argument. */
const unary =
  (name: string, fn: (s: string) => string) =>
  (a: Value[]): Value => {
    arity(name, a, 1);
    return fn(toStr(a[0] as Value));
  };

const FUNCS: Record<string, (args: Value[]) => Value> = {
  repeat: (a) => {
    arity('repeat', a, 2);
    const n = count(a[0] as Value, 'repeat');
    const s = toStr(a[1] as Value);
    if (n <= 0) return '';
    if (n * s.length > MAX_OUTPUT) throw new TemplateError('repeat: result too large');
    return s.repeat(n);
  },
  upper: unary('upper', (s) => s.replace(/[a-z]+/g, (m) => m.toUpperCase())),
  lower: unary('lower', (s) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase())),
  trim: unary('trim', (s) => s.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, '')),
  b64enc: unary('b64enc', (s) => Buffer.from(s, 'latin1').toString('base64')),
  b64dec: unary('b64dec', base64Decode),
  cat: (a) => a.map(toStr).join(' '),
  print: (a) => sprint(a),
  urlquery: (a) => queryEscape(sprint(a)),
};

// ---- lexing of one action's inside --------------------------------------------------------------

type Tok = { k: 'lit'; v: Value } | { k: 'ident'; v: string } | { k: 'pipe' } | { k: 'open' } | { k: 'close' };

const GO_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

function utf8Bytes(cp: number): string {
  return Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1');
}

function quoted(src: string, start: number): [string, number] {
  let out = '';
  let i = start + 1;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === '"') return [out, i + 1];
    if (c === '\n') break;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = src[i + 1] ?? '';
    const simple = GO_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i += 2;
    } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 2, i + 4))) {
      out += String.fromCharCode(Number.parseInt(src.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (/^[0-7]{3}$/.test(src.slice(i + 1, i + 4))) {
      out += String.fromCharCode(Number.parseInt(src.slice(i + 1, i + 4), 8) & 0xff);
      i += 4;
    } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
      out += utf8Bytes(Number.parseInt(src.slice(i + 2, i + 6), 16));
      i += 6;
    } else if (e === 'U' && /^[0-9a-fA-F]{8}$/.test(src.slice(i + 2, i + 10))) {
      out += utf8Bytes(Number.parseInt(src.slice(i + 2, i + 10), 16));
      i += 10;
    } else {
      throw new TemplateError(`invalid escape \\${e} in string literal`);
    }
  }
  throw new TemplateError('unterminated string literal');
}

function lexAction(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/[ \t\r\n]/.test(c)) {
      i++;
    } else if (c === '|') {
      toks.push({ k: 'pipe' });
      i++;
    } else if (c === '(') {
      toks.push({ k: 'open' });
      i++;
    } else if (c === ')') {
      toks.push({ k: 'close' });
      i++;
    } else if (c === '"') {
      const [v, next] = quoted(src, i);
      toks.push({ k: 'lit', v });
      i = next;
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new TemplateError('unterminated raw string');
      toks.push({ k: 'lit', v: src.slice(i + 1, end).replace(/\r/g, '') });
      i = end + 1;
    } else {
      const m = /^(-?\d+)(?![\w.])|^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      if (!m) throw new TemplateError(`unexpected ${JSON.stringify(c)} in action`);
      const w = m[0];
      if (m[1] !== undefined) toks.push({ k: 'lit', v: Number(w) });
      else if (w === 'true' || w === 'false') toks.push({ k: 'lit', v: w === 'true' });
      else toks.push({ k: 'ident', v: w });
      i += w.length;
    }
  }
  return toks;
}

// ---- evaluation ---------------------------------------------------------------------------------

class Evaluator {
  private pos = 0;
  constructor(private readonly toks: Tok[]) {}

  run(): Value {
    const v = this.pipeline();
    if (this.pos < this.toks.length) throw new TemplateError('unexpected ")" in action');
    return v;
  }

  private pipeline(): Value {
    let v = this.command(undefined);
    while (this.toks[this.pos]?.k === 'pipe') {
      this.pos++;
      v = this.command(v);
    }
    return v;
  }

  private operand(): Value | { ident: string } | undefined {
    const t = this.toks[this.pos];
    if (t === undefined || t.k === 'pipe' || t.k === 'close') return undefined;
    this.pos++;
    if (t.k === 'lit') return t.v;
    if (t.k === 'ident') return { ident: t.v };
    const v = this.pipeline();
    if (this.toks[this.pos]?.k !== 'close') throw new TemplateError('unclosed left paren');
    this.pos++;
    return v;
  }

  private command(piped: Value | undefined): Value {
    const ops: (Value | { ident: string })[] = [];
    for (let o = this.operand(); o !== undefined; o = this.operand()) ops.push(o);
    const [head, ...rest] = ops;
    if (head === undefined) throw new TemplateError('missing value for command');
    if (typeof head === 'object') {
      const fn = FUNCS[head.ident];
      if (fn === undefined) throw new TemplateError(`function "${head.ident}" not defined`);
      const args = rest.map((a) => {
        if (typeof a === 'object') throw new TemplateError(`function "${a.ident}" used as an argument`);
        return a;
      });
      if (piped !== undefined) args.push(piped);
      return fn(args);
    }
    if (rest.length > 0 || piped !== undefined) throw new TemplateError(`can't give argument to non-function ${toStr(head)}`);
    return head;
  }
}

/** Expands `src` (a byte string) the way go-ftw's text/template + sprig would. */
export function expandTemplate(src: string): string {
  if (!src.includes('{{')) return src;
  let out = '';
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      out += src.slice(i);
      break;
    }
    let text = src.slice(i, open);
    let start = open + 2;
    // `{{- ` trims the whitespace before the action (Go requires the space after the dash).
    if (src[start] === '-' && /[ \t\r\n]/.test(src[start + 1] ?? '')) {
      text = text.replace(/[ \t\r\n]+$/, '');
      start += 1;
    }
    out += text;
    const close = src.indexOf('}}', start);
    if (close < 0) throw new TemplateError('unclosed action');
    let body = src.slice(start, close);
    let trimAfter = false;
    if (/[ \t\r\n]-$/.test(body)) {
      trimAfter = true;
      body = body.slice(0, -1);
    }
    const inner = body.trim();
    if (!(inner.startsWith('/*') && inner.endsWith('*/'))) {
      const toks = lexAction(body);
      if (toks.length === 0) throw new TemplateError('missing value for command');
      const first = toks[0];
      if (first?.k === 'ident' && /^(if|else|end|range|with|define|template|block|break|continue)$/.test(first.v)) {
        throw new TemplateError(`"${first.v}" actions are not supported`);
      }
      out += toStr(new Evaluator(toks).run());
      if (out.length > MAX_OUTPUT) throw new TemplateError('expanded data too large');
    }
    i = close + 2;
    if (trimAfter) while (i < src.length && /[ \t\r\n]/.test(src[i] as string)) i++;
  }
  return out;
}
