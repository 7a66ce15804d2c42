// Operator table (SecLang `@name param`). Operators are compiled once per rule (`create`) and
// evaluated per value. Values are byte strings (char codes 0-255; see transformations/registry.ts).
// One file per operator registers itself here; index.ts imports them all.

/** What an operator may touch while evaluating: capture groups (TX:0-9) and macro expansion. */
export interface OperatorContext {
  /** True when the rule has the `capture` action: store TX.0 (whole match) .. TX.9. */
  readonly capturing: boolean;
  capture(index: number, value: string): void;
  /** Expands %{VAR.name} macros in parameters that contain them (e.g. @streq %{tx.x}). */
  expand(text: string): string;
}

export interface Operator {
  evaluate(ctx: OperatorContext, value: string): boolean;
}

export interface OperatorCreateOptions {
  /** Reads a data file named by @pmFromFile/@ipMatchFromFile, relative to the rule file's directory. */
  readFile(name: string): string;
}

export interface OperatorDef {
  name: string;
  /** Throws OperatorError for an invalid parameter (the rule load fails with file:line). */
  create(param: string, opts: OperatorCreateOptions): Operator;
}

export class OperatorError extends Error {
  override name = 'OperatorError';
}

const table = new Map<string, OperatorDef>();

export function registerOperator(def: OperatorDef): void {
  const key = def.name.toLowerCase();
  if (table.has(key)) throw new Error(`operator ${def.name} registered twice`);
  table.set(key, def);
}

export function getOperator(name: string): OperatorDef | undefined {
  return table.get(name.toLowerCase());
}

export function operatorNames(): string[] {
  return [...table.values()].map((d) => d.name).sort();
}
