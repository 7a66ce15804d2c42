// Public API of the Rego engine: prepare (parse + compile once) and evaluate many times.
import type { Module, RuleKind } from './ast.js';
import './builtins/index.js';
import { type CompiledQuery, compileModules, type Program } from './compile/compiler.js';
import { type Location, RegoError, RegoErrors } from './errors.js';
import { BuiltinCtx, Ctx, Frame, Run } from './eval/frame.js';
import { readData } from './eval/tree.js';
import { parseModule, parseQuery } from './parser.js';
import { fromJSON, RObject, type Value } from './value.js';

export { RegoError, RegoErrors, BuiltinError } from './errors.js';
export type { Location, RegoErrorCode } from './errors.js';
export { RObject, RSet, fromJSON, toJSON, equal, compare, format, typeName } from './value.js';
export type { Value } from './value.js';
export type { RuleKind } from './ast.js';

export interface PolicyModule {
  file: string;
  text: string;
}

export interface PrepareOptions {
  /** Base documents, plain JSON (converted once) or a Value. */
  data?: unknown;
  strictBuiltinErrors?: boolean;
  limits?: { maxSteps?: number; maxDepth?: number };
  /** Passed to builtins as ctx.options (http.send allow-list, …). */
  builtinOptions?: Record<string, unknown>;
  print?: (line: string) => void;
}

export interface EvalOptions {
  /** Collects "file:row" of every evaluated expression. */
  coverage?: Set<string>;
  nowNs?: bigint;
  strictBuiltinErrors?: boolean;
}

const DEFAULT_MAX_STEPS = 10_000_000;
const DEFAULT_MAX_DEPTH = 2_000;
const QUERY_CACHE_MAX = 1_000;

/** Parses and compiles modules; throws RegoErrors (parse, compile, type, unsafe, recursion). */
export function prepare(modules: PolicyModule[], opts: PrepareOptions = {}): PreparedPolicy {
  const parsed: Module[] = [];
  const errs: RegoError[] = [];
  for (const m of modules) {
    try {
      parsed.push(parseModule(m.text, m.file));
    } catch (e) {
      if (e instanceof RegoErrors) errs.push(...e.errors);
      else if (e instanceof RegoError) errs.push(e);
      else throw e;
    }
  }
  if (errs.length > 0) throw new RegoErrors(errs);
  const program = guard(() => compileModules(parsed), 'rego_compile_error');
  return new PreparedPolicy(program, parsed, opts);
}

/** Keeps every failure typed: a JS stack overflow becomes the limit error, anything unexpected an
 *  internal error with the given code. */
function guard<T>(fn: () => T, code: 'rego_compile_error' | 'eval_builtin_error' = 'eval_builtin_error'): T {
  try {
    return fn();
  } catch (e) {
    throw typed(e, code);
  }
}

function typed(e: unknown, code: 'rego_compile_error' | 'eval_builtin_error'): unknown {
  if (e instanceof RegoError || e instanceof RegoErrors) return e;
  if (e instanceof RangeError) return new RegoError('eval_limit_error', 'evaluation exceeded the maximum depth');
  return new RegoError(code, `internal error: ${e instanceof Error ? e.message : String(e)}`);
}

function toValue(v: unknown, what: string): Value {
  try {
    return fromJSON(v);
  } catch (e) {
    throw new RegoError('eval_type_error', `${what}: ${(e as Error).message}`);
  }
}

export class PreparedPolicy {
  private readonly base: Value;
  private readonly queries = new Map<string, CompiledQuery>();
  private readonly limits: { maxSteps: number; maxDepth: number };
  private readonly runtime: Value = new RObject();
  private readonly print: (line: string) => void;
  private readonly builtinOptions: Readonly<Record<string, unknown>>;
  /** evalPath's parsed paths. */
  private readonly paths = new Map<string, string[]>();

  constructor(
    private readonly program: Program,
    private readonly parsed: Module[],
    private readonly opts: PrepareOptions,
  ) {
    this.base = opts.data === undefined ? new RObject() : toValue(opts.data, 'data');
    this.print = opts.print ?? (() => {});
    this.builtinOptions = opts.builtinOptions ?? {};
    this.limits = {
      maxSteps: opts.limits?.maxSteps ?? DEFAULT_MAX_STEPS,
      maxDepth: opts.limits?.maxDepth ?? DEFAULT_MAX_DEPTH,
    };
  }

  private ctx(input: unknown, opts: EvalOptions | undefined): Ctx {
    const bctx = new BuiltinCtx(opts?.nowNs, this.print, this.runtime, this.builtinOptions);
    const strict = opts?.strictBuiltinErrors ?? this.opts.strictBuiltinErrors ?? false;
    const run = new Run(this.limits, strict, bctx, this.base, opts?.coverage ?? null);
    return new Ctx(run, input === undefined ? undefined : toValue(input, 'input'), null, null);
  }

  /** The document at data.<path> (base and virtual merged); undefined when undefined. */
  evalPath(path: string | string[], input?: unknown, opts?: EvalOptions): Value | undefined {
    let segs: string[];
    if (typeof path === 'string') {
      let cached = this.paths.get(path);
      if (cached === undefined) {
        cached = path === '' ? [] : path.split('.');
        if (cached[0] === 'data') cached = cached.slice(1);
        if (this.paths.size < QUERY_CACHE_MAX) this.paths.set(path, cached);
      }
      segs = cached;
    } else segs = path[0] === 'data' ? path.slice(1) : path;
    const x = this.ctx(input, opts);
    // guard() inlined: no closure per evaluation on this hot path.
    try {
      return readData(x, this.program.root, segs);
    } catch (e) {
      throw typed(e, 'eval_builtin_error');
    }
  }

  /** All solutions of a query: the bindings of its named vars. */
  query(query: string, input?: unknown, opts?: EvalOptions): Array<Record<string, Value>> {
    let q = this.queries.get(query);
    if (q === undefined) {
      const body = parseQuery(query, 'query');
      q = guard(() => this.program.compileQuery(body), 'rego_compile_error');
      if (this.queries.size >= QUERY_CACHE_MAX) this.queries.delete(this.queries.keys().next().value as string);
      this.queries.set(query, q);
    }
    const x = this.ctx(input, opts);
    const out: Array<Record<string, Value>> = [];
    const f = new Frame(q.nslots, x);
    f.acc = out;
    const entry = q.entry;
    guard(() => entry(f));
    return out;
  }

  rules(): Array<{ path: string[]; name: string; kind: RuleKind; loc: Location }> {
    return this.program.rules.map((r) => ({
      path: r.nodePath.map(String),
      name: String(r.nodePath[r.nodePath.length - 1]),
      kind: r.src.kind,
      loc: r.loc,
    }));
  }

  modules(): Module[] {
    return this.parsed;
  }
}
