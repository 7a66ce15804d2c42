// `# METADATA` comment blocks: YAML in consecutive comment lines, attached to the package, rule or
// import that follows. Scope defaults as in OPA: `rule` before a rule (`document` when it is an
// entrypoint), `package` before the package. Malformed blocks are rego_parse_errors.
import { parseDocument } from 'yaml';
import type { Annotations, Comment, Rule } from './ast.js';
import { type Location, RegoError, RegoErrors } from './errors.js';

const SCOPES = ['rule', 'document', 'package', 'subpackages'] as const;

function parseError(message: string, loc: Location): RegoError {
  return new RegoError('rego_parse_error', message, loc);
}

/** Finds and parses every METADATA block (scope still unresolved: '' unless written). */
export function parseAnnotationBlocks(comments: Comment[], _file: string): Annotations[] {
  const blocks: { loc: Location; lines: Comment[] }[] = [];
  let cur: { loc: Location; lines: Comment[] } | null = null;
  let prev: Comment | null = null;
  for (const c of comments) {
    if (cur && prev && c.loc.row === prev.loc.row + 1 && c.loc.col === 1) {
      cur.lines.push(c);
      prev = c;
      continue;
    }
    cur = null;
    if (c.text.trim().startsWith('METADATA')) {
      cur = { loc: c.loc, lines: [] };
      blocks.push(cur);
    }
    prev = c;
  }
  const out: Annotations[] = [];
  const errs: RegoError[] = [];
  for (const b of blocks) {
    const r = parseBlock(b.loc, b.lines);
    if (r instanceof RegoError) errs.push(r);
    else out.push(r);
  }
  if (errs.length > 0) throw new RegoErrors(errs);
  return out;
}

function parseBlock(loc: Location, lines: Comment[]): Annotations | RegoError {
  const text = lines.map((l) => (l.text.startsWith(' ') ? l.text.slice(1) : l.text)).join('\n');
  if (text.trim() === '') return parseError('expected METADATA block, found whitespace', loc);
  const doc = parseDocument(text, { prettyErrors: false });
  const yerr = doc.errors[0];
  if (yerr) {
    const line = yerr.linePos?.[0]?.line;
    const at = line !== undefined ? (lines[Math.min(line, lines.length) - 1]?.loc ?? loc) : loc;
    return parseError(`yaml: ${yerr.message.split('\n')[0]}`, at);
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return parseError('yaml: cannot unmarshal METADATA block: expected a mapping', loc);
  }
  const fields = raw as Record<string, unknown>;
  const problem = validateFields(fields);
  if (problem) return parseError(problem, loc);
  const scope = fields.scope;
  return { scope: (typeof scope === 'string' ? scope : '') as Annotations['scope'], fields, loc };
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function validateFields(f: Record<string, unknown>): string | null {
  for (const k of ['scope', 'title', 'description']) {
    if (f[k] !== undefined && f[k] !== null && typeof f[k] !== 'string') return `yaml: cannot unmarshal ${k} into string`;
  }
  if (f.entrypoint !== undefined && typeof f.entrypoint !== 'boolean') return 'yaml: cannot unmarshal entrypoint into bool';
  if (f.organizations !== undefined && !(Array.isArray(f.organizations) && f.organizations.every((o) => typeof o === 'string'))) {
    return 'yaml: cannot unmarshal organizations into []string';
  }
  if (f.custom !== undefined && f.custom !== null && (typeof f.custom !== 'object' || Array.isArray(f.custom))) {
    return 'yaml: cannot unmarshal custom into map';
  }
  for (const a of list(f.authors)) {
    const e = authorError(a);
    if (e) return `invalid author definition ${show(a)}: ${e}`;
  }
  for (const r of list(f.related_resources)) {
    const e = relatedResourceError(r);
    if (e) return `invalid related-resource definition ${show(r)}: ${e}`;
  }
  for (const s of list(f.schemas)) {
    if (!isMap(s)) return 'yaml: cannot unmarshal schemas into []map';
    const [path, v] = Object.entries(s)[0] ?? ['', undefined];
    if (!REF_RE.test(path)) return 'invalid document reference';
    if (typeof v === 'string') {
      if (!/^schema(\.|\[|$)/.test(v) || !REF_RE.test(v)) return 'invalid schema reference';
    } else if (!isMap(v)) return `invalid schema declaration for path ${JSON.stringify(path)}`;
  }
  return null;
}

const REF_RE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*|\["[^"]*"\]|\[\d+\])*$/;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function authorError(a: unknown): string | null {
  if (typeof a === 'string') return a.trim() === '' ? 'author is an empty string' : null;
  if (isMap(a)) {
    const name = typeof a.name === 'string' ? a.name.trim() : '';
    const email = typeof a.email === 'string' ? a.email.trim() : '';
    return name || email ? null : "'name' and/or 'email' values required in object";
  }
  return 'invalid value type, must be string or map';
}

function relatedResourceError(r: unknown): string | null {
  if (typeof r === 'string') return r === '' ? 'ref URL may not be empty string' : null;
  if (isMap(r)) return typeof r.ref === 'string' && r.ref.trim() !== '' ? null : "'ref' value required in object";
  return 'invalid value type, must be string or map';
}

export interface AnnotatedNode {
  row: number;
  kind: 'package' | 'import' | 'rule';
  rule?: Rule;
}

/** Attaches each block to the first statement after it, resolving and checking its scope. */
export function attachAnnotations(blocks: Annotations[], nodes: AnnotatedNode[]): void {
  const errs: RegoError[] = [];
  for (const a of blocks) {
    const node = nodes.find((n) => n.row > a.loc.row);
    let scope: string = a.scope;
    if (scope === '') {
      if (node?.kind === 'rule') scope = a.fields.entrypoint === true ? 'document' : 'rule';
      else if (node) scope = node.kind;
    }
    a.scope = scope as Annotations['scope'];
    if (!(SCOPES as readonly string[]).includes(scope)) {
      errs.push(
        parseError(`invalid annotation scope '${scope}'. Use one of 'rule', 'document', 'package', or 'subpackages'`, a.loc),
      );
      continue;
    }
    const want = scope === 'rule' || scope === 'document' ? 'rule' : 'package';
    if (node?.kind !== want) {
      const have = node ? ` (have ${node.kind})` : '';
      errs.push(parseError(`annotation scope '${scope}' must be applied to ${want}${have}`, a.loc));
      continue;
    }
    if (a.fields.entrypoint === true && scope !== 'document' && scope !== 'package') {
      errs.push(parseError(`annotation entrypoint applied to non-document or package scope '${scope}'`, a.loc));
      continue;
    }
    if (node.rule) node.rule.annotations = a;
  }
  if (errs.length > 0) throw new RegoErrors(errs);
}

/** The annotation as OPA presents it (rego.metadata.rule/chain): normalized authors, resources, schemas. */
export function annotationsObject(a: Annotations): Record<string, unknown> {
  const f = a.fields;
  const out: Record<string, unknown> = { scope: a.scope };
  if (typeof f.title === 'string' && f.title) out.title = f.title;
  if (typeof f.description === 'string' && f.description) out.description = f.description;
  if (f.entrypoint === true) out.entrypoint = true;
  const orgs = list(f.organizations);
  if (orgs.length > 0) out.organizations = orgs;
  const rrs = list(f.related_resources).map((r) => {
    if (typeof r === 'string') return { ref: r };
    const m = r as Record<string, unknown>;
    const o: Record<string, unknown> = { ref: String(m.ref).trim() };
    if (typeof m.description === 'string' && m.description.trim()) o.description = m.description.trim();
    return o;
  });
  if (rrs.length > 0) out.related_resources = rrs;
  const authors = list(f.authors).map(normalizeAuthor);
  if (authors.length > 0) out.authors = authors;
  const schemas = list(f.schemas).map((s) => {
    const [path, v] = Object.entries(s as Record<string, unknown>)[0]!;
    const o: Record<string, unknown> = { path: refPath(path) };
    if (typeof v === 'string') o.schema = refPath(v);
    else o.definition = v;
    return o;
  });
  if (schemas.length > 0) out.schemas = schemas;
  if (isMap(f.custom) && Object.keys(f.custom).length > 0) out.custom = f.custom;
  return out;
}

function normalizeAuthor(a: unknown): Record<string, string> {
  let name = '';
  let email = '';
  if (typeof a === 'string') {
    const parts = a.trim().split(/\s+/);
    const last = parts[parts.length - 1] ?? '';
    if (last.length >= 2 && last.startsWith('<') && last.endsWith('>')) {
      email = last.slice(1, -1);
      parts.pop();
    }
    name = parts.join(' ');
  } else if (isMap(a)) {
    name = typeof a.name === 'string' ? a.name.trim() : '';
    email = typeof a.email === 'string' ? a.email.trim() : '';
  }
  const o: Record<string, string> = {};
  if (name) o.name = name;
  if (email) o.email = email;
  return o;
}

/** `input.x["y"]` → ["input", "x", "y"]. */
function refPath(s: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of s.matchAll(/([A-Za-z_][A-Za-z0-9_]*)|\["([^"]*)"\]|\[(\d+)\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(m[2]);
    else out.push(Number(m[3]));
  }
  return out;
}
