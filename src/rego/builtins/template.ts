// strings.render_template(template, vars): Go text/template execution over the variables as OPA
// hands them to Go (a JSON round trip: numbers become json.Number strings, sets become arrays).
// A missing key prints <undefined> (Go's "<no value>", which OPA rewrites).
import { formatNumber, type RObject, RSet, toJSON, type Value } from '../value.js';
import { builtinErr, obj, str } from './args.js';
import { type GoValue, goSprint, goSprintf, goTypeName } from './gofmt.js';
import {
  type Command,
  type Operand,
  type Pipeline,
  parseNumber,
  parseTemplate,
  type TNode,
  TemplateError,
} from './gotemplate.js';
import { registerBuiltin } from './registry.js';

/** A template value: a Go value, or "no value" (a missing map key). */
type TV = GoValue | { k: 'invalid' };

const INVALID: TV = { k: 'invalid' };
const MAX_STEPS = 1_000_000; // bounds range loops over huge data
const MAX_OUTPUT = 64 * 1024 * 1024; // and runaway output

class ExecError extends Error {
  constructor(
    readonly where: Operand | Command | null,
    msg: string,
  ) {
    super(msg);
  }
}

class Break {}
class Continue {}

/** A Rego value as Go sees it after OPA's JSON round trip. */
function toGo(v: Value): GoValue {
  if (v === null) return { k: 'nil' };
  switch (typeof v) {
    case 'boolean':
      return { k: 'bool', v };
    case 'number':
      return { k: 'string', v: formatNumber(v), type: 'json.Number' };
    case 'string':
      return { k: 'string', v };
  }
  if (Array.isArray(v)) return { k: 'slice', v: v.map(toGo) };
  if (v instanceof RSet) return { k: 'slice', v: v.sorted().map(toGo) };
  const entries: Array<[string, GoValue]> = [];
  for (const [k, x] of (v as RObject).entries()) entries.push([typeof k === 'string' ? k : JSON.stringify(toJSON(k)), toGo(x)]);
  return { k: 'map', v: entries };
}

function truth(v: TV): boolean {
  switch (v.k) {
    case 'invalid':
    case 'nil':
      return false;
    case 'bool':
      return v.v;
    case 'int':
    case 'bigint':
      return v.v !== 0n;
    case 'float':
      return v.v !== 0;
    case 'string':
    case 'slice':
    case 'map':
      return v.v.length > 0;
  }
}

function typeOf(v: TV): string {
  return v.k === 'invalid' ? '<nil>' : goTypeName(v);
}

type Kind = 'bool' | 'int' | 'float' | 'string' | null;
function basicKind(v: TV): Kind {
  if (v.k === 'bool') return 'bool';
  if (v.k === 'int' || v.k === 'bigint') return 'int';
  if (v.k === 'float') return 'float';
  if (v.k === 'string') return 'string';
  return null;
}

function compareBasic(a: TV, b: TV, fname: string): number {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === null || kb === null) throw new ExecError(null, `error calling ${fname}: invalid type for comparison`);
  if (ka !== kb) throw new ExecError(null, `error calling ${fname}: incompatible types for comparison`);
  const x = (a as { v: unknown }).v as bigint | number | string | boolean;
  const y = (b as { v: unknown }).v as bigint | number | string | boolean;
  if (ka === 'bool') {
    if (fname !== 'eq' && fname !== 'ne') throw new ExecError(null, `error calling ${fname}: invalid type for comparison`);
    return x === y ? 0 : 1;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

const HTML_ESC: Record<string, string> = {
  '&': '&amp;',
  "'": '&#39;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  '\u0000': '\uFFFD',
};
const JS_ESC: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
};

/** Replaces each character the escaper has a replacement for. */
function escapeEach(s: string, esc: (c: string) => string | undefined): string {
  let out = '';
  for (const c of s) out += esc(c) ?? c;
  return out;
}

function sprint(args: TV[]): string {
  let out = '';
  args.forEach((a, i) => {
    const isStr = a.k === 'string';
    if (i > 0 && !isStr && (args[i - 1] as TV).k !== 'string') out += ' ';
    out += a.k === 'invalid' ? '<nil>' : goSprint(a);
  });
  return out;
}

class Exec {
  out = '';
  vars: Array<[string, TV]> = [];
  steps = 0;

  constructor(readonly root: TV) {
    this.vars.push(['$', root]);
  }

  tick(): void {
    if (++this.steps > MAX_STEPS) throw new ExecError(null, 'template execution exceeded its step limit');
    if (this.out.length > MAX_OUTPUT) throw new ExecError(null, 'template output exceeded its size limit');
  }

  lookup(name: string): TV {
    for (let i = this.vars.length - 1; i >= 0; i--)
      if ((this.vars[i] as [string, TV])[0] === name) return (this.vars[i] as [string, TV])[1];
    throw new ExecError(null, `undefined variable: ${name}`);
  }

  setVar(name: string, v: TV): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const e = this.vars[i] as [string, TV];
      if (e[0] === name) {
        e[1] = v;
        return;
      }
    }
  }

  run(nodes: TNode[], dot: TV): void {
    for (const n of nodes) {
      this.tick();
      switch (n.k) {
        case 'text':
          this.out += n.text;
          break;
        case 'action': {
          const mark = this.vars.length;
          const v = this.pipeline(dot, n.pipe);
          if (n.pipe.decl.length === 0) this.out += v.k === 'invalid' ? '<no value>' : goSprint(v);
          if (n.pipe.isAssign) this.vars.length = mark;
          break;
        }
        case 'break':
          throw new Break();
        case 'continue':
          throw new Continue();
        case 'if':
        case 'with': {
          const mark = this.vars.length;
          const v = this.pipeline(dot, n.pipe);
          if (truth(v)) this.run(n.list, n.k === 'with' ? v : dot);
          else if (n.elseList) this.run(n.elseList, dot);
          this.vars.length = mark;
          break;
        }
        case 'range':
          this.range(n, dot);
          break;
      }
    }
  }

  range(n: { pipe: Pipeline; list: TNode[]; elseList: TNode[] | null }, dot: TV): void {
    const mark = this.vars.length;
    const decl = n.pipe.decl;
    const v = this.pipeline(dot, { ...n.pipe, decl: [] });
    let items: Array<[TV, TV]>;
    if (v.k === 'slice') items = v.v.map((e, i) => [{ k: 'int', v: BigInt(i) }, e]);
    else if (v.k === 'map')
      items = [...v.v].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k, e]) => [{ k: 'string', v: k }, e]);
    else if (v.k === 'int') {
      if (decl.length > 1) throw new ExecError(n.pipe.cmds[0] ?? null, `can't use ${v.v} to iterate over more than one variable`);
      items = [];
      for (let i = 0n; i < v.v && i < BigInt(MAX_STEPS); i++)
        items.push([
          { k: 'int', v: i },
          { k: 'int', v: i },
        ]);
    } else if (v.k === 'invalid' || v.k === 'nil') items = [];
    else throw new ExecError(n.pipe.cmds[0] ?? null, `range can't iterate over ${goSprint(v)}`);
    for (const name of decl) this.vars.push([name, INVALID]);
    for (const [key, elem] of items) {
      this.tick();
      if (decl.length === 1) this.setVar(decl[0] as string, elem);
      if (decl.length === 2) {
        this.setVar(decl[0] as string, key);
        this.setVar(decl[1] as string, elem);
      }
      try {
        this.run(n.list, elem);
      } catch (e) {
        if (e instanceof Break) break;
        if (!(e instanceof Continue)) throw e;
      }
    }
    if (items.length === 0 && n.elseList) this.run(n.elseList, dot);
    this.vars.length = mark;
  }

  pipeline(dot: TV, pipe: Pipeline): TV {
    let value: TV | undefined;
    for (const cmd of pipe.cmds) value = this.command(dot, cmd, value);
    const v = value ?? INVALID;
    if (pipe.isAssign) for (const name of pipe.decl) this.setVar(name, v);
    else for (const name of pipe.decl) this.vars.push([name, v]);
    return v;
  }

  command(dot: TV, cmd: Command, final: TV | undefined): TV {
    try {
      return this.command1(dot, cmd, final);
    } catch (e) {
      if (e instanceof ExecError && e.where === null) throw new ExecError(cmd, e.message);
      throw e;
    }
  }

  command1(dot: TV, cmd: Command, final: TV | undefined): TV {
    const first = cmd.args[0] as Operand;
    const notFunction = () => {
      if (cmd.args.length > 1 || final !== undefined)
        throw new ExecError(cmd, `can't give argument to non-function ${describe(first)}`);
    };
    switch (first.k) {
      case 'field':
        return this.fieldChain(dot, first.idents, cmd.args.length > 1 || final !== undefined, cmd);
      case 'var':
        if (first.idents.length === 0) notFunction();
        return this.fieldChain(this.lookup(first.name), first.idents, cmd.args.length > 1 || final !== undefined, cmd);
      case 'chain':
        return this.fieldChain(this.arg(dot, first.node), first.idents, cmd.args.length > 1 || final !== undefined, cmd);
      case 'ident':
        return this.call(dot, first.name, cmd, final);
      case 'nil':
        throw new ExecError(cmd, 'nil is not a command');
      default:
        notFunction();
        return this.arg(dot, first);
    }
  }

  fieldChain(receiver: TV, idents: string[], hasArgs: boolean, where: Command | Operand): TV {
    let v = receiver;
    idents.forEach((name, i) => {
      if (v.k === 'invalid') return;
      if (v.k === 'nil') throw new ExecError(where, `nil pointer evaluating interface {}.${name}`);
      if (v.k !== 'map') throw new ExecError(where, `can't evaluate field ${name} in type interface {}`);
      if (hasArgs && i === idents.length - 1) throw new ExecError(where, `${name} is not a method but has arguments`);
      v = v.v.find((e) => e[0] === name)?.[1] ?? INVALID;
    });
    return v;
  }

  arg(dot: TV, op: Operand): TV {
    switch (op.k) {
      case 'dot':
        return dot;
      case 'field':
        return this.fieldChain(dot, op.idents, false, op);
      case 'var':
        return this.fieldChain(this.lookup(op.name), op.idents, false, op);
      case 'chain':
        return this.fieldChain(this.arg(dot, op.node), op.idents, false, op);
      case 'pipe': {
        const mark = this.vars.length;
        const v = this.pipeline(dot, op.pipe);
        this.vars.length = mark;
        return v;
      }
      case 'string':
        return { k: 'string', v: op.value };
      case 'number':
        return parseNumber(op.text);
      case 'bool':
        return { k: 'bool', v: op.value };
      case 'nil':
        return { k: 'nil' };
      case 'ident':
        return this.call(dot, op.name, { pos: op.pos, args: [op] }, undefined);
    }
  }

  call(dot: TV, name: string, cmd: Command, final: TV | undefined): TV {
    const ops = cmd.args.slice(1);
    const lazy = ops.map((op) => () => this.arg(dot, op));
    if (final !== undefined) lazy.push(() => final);
    const fail = (msg: string): never => {
      throw new ExecError(cmd, `error calling ${name}: ${msg}`);
    };
    if (name === 'and' || name === 'or') {
      if (lazy.length === 0) throw new ExecError(cmd, `wrong number of args for ${name}: want at least 1 got 0`);
      let v: TV = INVALID;
      for (const f of lazy) {
        v = f();
        if (truth(v) === (name === 'or')) return v;
      }
      return v;
    }
    const args = lazy.map((f) => f());
    const want = (n: number) => {
      if (args.length !== n) throw new ExecError(cmd, `wrong number of args for ${name}: want ${n} got ${args.length}`);
    };
    switch (name) {
      case 'not':
        want(1);
        return { k: 'bool', v: !truth(args[0] as TV) };
      case 'len': {
        want(1);
        const a = args[0] as TV;
        if (a.k === 'string') return { k: 'int', v: BigInt(Buffer.byteLength(a.v, 'utf8')) };
        if (a.k === 'slice' || a.k === 'map') return { k: 'int', v: BigInt(a.v.length) };
        return fail(a.k === 'nil' || a.k === 'invalid' ? 'len of nil pointer' : `len of type ${typeOf(a)}`);
      }
      case 'index':
      case 'slice':
        return this.indexOrSlice(name, args, fail);
      case 'print':
        return { k: 'string', v: sprint(args) };
      case 'println':
        return { k: 'string', v: `${args.map((a) => (a.k === 'invalid' ? '<nil>' : goSprint(a))).join(' ')}\n` };
      case 'printf': {
        if (args.length === 0) throw new ExecError(cmd, 'wrong number of args for printf: want at least 1 got 0');
        const f = args[0] as TV;
        if (f.k !== 'string') return fail(`wrong type for value; expected string; got ${typeOf(f)}`);
        return {
          k: 'string',
          v: goSprintf(
            f.v,
            args.slice(1).map((a) => (a.k === 'invalid' ? { k: 'nil' } : a)),
          ),
        };
      }
      case 'html':
        return { k: 'string', v: escapeEach(sprint(args), (c) => HTML_ESC[c]) };
      case 'js':
        return {
          k: 'string',
          v: escapeEach(
            sprint(args),
            (c) => JS_ESC[c] ?? (c < ' ' ? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined),
          ),
        };
      case 'urlquery':
        return {
          k: 'string',
          v: encodeURIComponent(sprint(args))
            .replace(/%20/g, '+')
            .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
        };
      case 'eq': {
        if (args.length < 2) throw new ExecError(cmd, 'missing argument for comparison');
        const [a, ...rest] = args as [TV, ...TV[]];
        return { k: 'bool', v: rest.some((b) => compareBasic(a, b, 'eq') === 0) };
      }
      case 'ne':
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge': {
        want(2);
        const c = compareBasic(args[0] as TV, args[1] as TV, name);
        const v = { ne: c !== 0, lt: c < 0, le: c <= 0, gt: c > 0, ge: c >= 0 }[name];
        return { k: 'bool', v };
      }
      default:
        return fail('call of nil');
    }
  }

  indexOrSlice(name: string, args: TV[], fail: (msg: string) => never): TV {
    let item = args[0] ?? INVALID;
    const idx = (v: TV, cap: number): number => {
      if (v.k !== 'int') return fail(`cannot index slice/array with type ${typeOf(v)}`);
      if (v.v < 0n || v.v > BigInt(cap)) return fail(`index out of range: ${v.v}`);
      return Number(v.v);
    };
    if (name === 'slice') {
      if (item.k !== 'string' && item.k !== 'slice') return fail(`can't slice item of type ${typeOf(item)}`);
      const len = item.k === 'string' ? Buffer.byteLength(item.v, 'utf8') : item.v.length;
      const i = args.length > 1 ? idx(args[1] as TV, len) : 0;
      const j = args.length > 2 ? idx(args[2] as TV, len) : len;
      if (j < i) return fail(`invalid slice index: ${i} > ${j}`);
      if (item.k === 'string') return { k: 'string', v: Buffer.from(item.v, 'utf8').subarray(i, j).toString('utf8') };
      return { k: 'slice', v: item.v.slice(i, j) };
    }
    for (const key of args.slice(1)) {
      if (item.k === 'map') {
        if (key.k !== 'string') return fail(`value has type ${typeOf(key)}; should be string`);
        item = item.v.find((e) => e[0] === key.v)?.[1] ?? { k: 'nil' };
      } else if (item.k === 'slice' || item.k === 'string') {
        const len = item.k === 'string' ? Buffer.byteLength(item.v, 'utf8') : item.v.length;
        const i = idx(key, len - 1);
        item = item.k === 'string' ? { k: 'int', v: BigInt(Buffer.from(item.v, 'utf8')[i] as number) } : (item.v[i] as GoValue);
      } else
        return fail(
          item.k === 'nil' || item.k === 'invalid' ? 'index of untyped nil' : `can't index item of type ${typeOf(item)}`,
        );
    }
    return item;
  }
}

function describe(op: Operand): string {
  switch (op.k) {
    case 'field':
      return `.${op.idents.join('.')}`;
    case 'var':
      return op.name + op.idents.map((i) => `.${i}`).join('');
    case 'string':
      return JSON.stringify(op.value);
    case 'number':
      return op.text;
    case 'bool':
      return String(op.value);
    case 'dot':
      return '.';
    case 'ident':
      return op.name;
    default:
      return '(...)';
  }
}

/** Renders a template with Go text/template semantics; throws TemplateError with Go's text. */
export function renderTemplate(template: string, vars: Value): string {
  const tree = parseTemplate(template);
  const ex = new Exec(toGo(vars));
  try {
    ex.run(tree, ex.root);
  } catch (e) {
    if (e instanceof ExecError) {
      const pos = e.where && 'pos' in e.where ? e.where.pos : 0;
      const before = template.slice(0, pos);
      const line = 1 + (before.match(/\n/g)?.length ?? 0);
      const col = pos - (before.lastIndexOf('\n') + 1);
      const at = e.where && 'k' in e.where ? describe(e.where) : e.where ? e.where.args.map(describe).join(' ') : '';
      throw new TemplateError(`template: template:${line}:${col}: executing "template" at <${at}>: ${e.message}`);
    }
    throw e;
  }
  return ex.out.replaceAll('<no value>', '<undefined>');
}

registerBuiltin({
  name: 'strings.render_template',
  decl: { args: ['string', 'object'], result: 'string' },
  fn: (args) => {
    const template = str(args, 0, 'strings.render_template');
    const vars = obj(args, 1, 'strings.render_template');
    try {
      return renderTemplate(template, vars as RObject);
    } catch (e) {
      if (e instanceof TemplateError) throw builtinErr('strings.render_template', e.message);
      throw e;
    }
  },
});
