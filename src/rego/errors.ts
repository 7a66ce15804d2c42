// Errors carry OPA's codes so callers (and OPA's conformance suite) can tell them apart.

export type RegoErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_type_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'eval_conflict_error'
  | 'eval_type_error'
  | 'eval_builtin_error'
  | 'eval_cancel_error'
  | 'eval_limit_error';

export interface Location {
  file: string;
  row: number;
  col: number;
}

export class RegoError extends Error {
  constructor(
    readonly code: RegoErrorCode,
    message: string,
    readonly location?: Location,
  ) {
    super(message);
    this.name = 'RegoError';
  }

  /** OPA's one-line form: `file:row: code: message` (without location: `code: message`). */
  override toString(): string {
    const where = this.location ? `${this.location.file}:${this.location.row}: ` : '';
    return `${where}${this.code}: ${this.message}`;
  }
}

/** Several errors from one parse/compile pass, as OPA reports them together. */
export class RegoErrors extends Error {
  constructor(readonly errors: RegoError[]) {
    super(errors.map((e) => e.toString()).join('\n'));
    this.name = 'RegoErrors';
  }
  get code(): string {
    return this.errors[0]?.code ?? 'rego_compile_error';
  }
}

/** A builtin failed on its operands. Undefined in non-strict evaluation, raised in strict mode. */
export class BuiltinError extends RegoError {
  constructor(message: string, code: 'eval_builtin_error' | 'eval_type_error' = 'eval_builtin_error') {
    super(code, message);
  }
}

/** An error a builtin raises that is never swallowed, even outside strict mode. */
export class HaltError extends RegoError {}
