// Transformation table (SecLang `t:name`). Values are byte strings: JS strings whose every char code
// is 0-255 (request bytes decoded as latin1), because ModSecurity transforms and matches bytes.
// One file per transformation registers itself here; index.ts imports them all.

export type Transformation = (input: string) => string;

export interface TransformationDef {
  name: string;
  fn: Transformation;
}

const table = new Map<string, TransformationDef>();

export function registerTransformation(name: string, fn: Transformation): void {
  const key = name.toLowerCase();
  if (table.has(key)) throw new Error(`transformation ${name} registered twice`);
  table.set(key, { name, fn });
}

/** Looks a transformation up by name, case-insensitively as ModSecurity does. */
export function getTransformation(name: string): TransformationDef | undefined {
  return table.get(name.toLowerCase());
}

export function transformationNames(): string[] {
  return [...table.values()].map((d) => d.name).sort();
}
