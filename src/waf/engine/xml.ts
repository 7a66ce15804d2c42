// XML request body processor: a small tolerant parser of our own (no DTD processing at all, so no
// external or internal entity expansion) that builds a light element tree, plus the XPath subset
// rules use. As Coraza does, `XML:/*` yields every non-blank text node (trimmed) as its own value and
// `XML://@*` every attribute value. Malformed documents report an error; what was read before the
// error stays inspectable.

export interface XmlElement {
  name: string;
  attrs: [string, string][];
  children: (XmlElement | string)[];
}

export interface XmlDocument {
  root: XmlElement | undefined;
  texts: string[];
  attrValues: string[];
  error?: string;
}

const MAX_NODES = 100_000;
const MAX_DEPTH = 1024;

function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Replaces the predefined and numeric character references; unknown references stay as written. */
export function decodeXmlEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[a-zA-Z]+);/g, (m, ref: string) => {
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? utf8(cp) : m;
    }
    return NAMED[ref] ?? m;
  });
}

/** Whitespace, '/', '>' or '=': where a tag or attribute name ends. */
function nameEnd(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 47 || c === 62 || c === 61 || c === 12 || c === 11;
}

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/**
 * Parses an XML body. At most `maxValues` text nodes and as many attribute values are kept for
 * inspection (each becomes a value every XML rule scans); more is reported as an error.
 */
export function parseXml(input: string, maxValues = 1000): XmlDocument {
  const doc: XmlDocument = { root: undefined, texts: [], attrValues: [] };
  let s = input;
  if (s.startsWith('\xef\xbb\xbf')) s = s.slice(3);
  const n = s.length;
  const stack: XmlElement[] = [];
  let nodes = 0;
  let tooMany = false;
  let i = 0;
  const fail = (msg: string): XmlDocument => {
    doc.error = `XML parsing error: ${msg} at offset ${i}`;
    return doc;
  };
  const addText = (raw: string, decode: boolean): boolean => {
    const text = decode ? decodeXmlEntities(raw) : raw;
    const top = stack[stack.length - 1];
    if (top === undefined) return text.trim() === '';
    top.children.push(text);
    const t = text.trim();
    if (t !== '') {
      if (doc.texts.length >= maxValues) tooMany = true;
      else doc.texts.push(t);
    }
    return true;
  };

  while (i < n) {
    const lt = s.indexOf('<', i);
    if (lt < 0) {
      if (!addText(s.slice(i), true)) return fail('text outside the root element');
      i = n;
      break;
    }
    if (lt > i && !addText(s.slice(i, lt), true)) return fail('text outside the root element');
    i = lt;
    if (s.startsWith('<?', i)) {
      const end = s.indexOf('?>', i + 2);
      if (end < 0) return fail('unterminated processing instruction');
      i = end + 2;
    } else if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i + 4);
      if (end < 0) return fail('unterminated comment');
      i = end + 3;
    } else if (s.startsWith('<![CDATA[', i)) {
      const end = s.indexOf(']]>', i + 9);
      if (end < 0) return fail('unterminated CDATA section');
      if (stack.length === 0) return fail('CDATA outside the root element');
      addText(s.slice(i + 9, end), false);
      i = end + 3;
    } else if (s.startsWith('<!', i)) {
      // DOCTYPE (with an optional internal subset): skipped, never interpreted.
      let j = i + 2;
      let depth = 0;
      for (; j < n; j++) {
        const c = s[j];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) break;
      }
      if (j >= n) return fail('unterminated declaration');
      i = j + 1;
    } else if (s[i + 1] === '/') {
      const end = s.indexOf('>', i + 2);
      if (end < 0) return fail('unterminated end tag');
      const name = s.slice(i + 2, end).trim();
      const top = stack.pop();
      if (top === undefined || top.name !== name) return fail(`mismatched end tag </${name}>`);
      i = end + 1;
    } else {
      // start tag
      let j = i + 1;
      while (j < n && !nameEnd(s.charCodeAt(j))) j++;
      const name = s.slice(i + 1, j);
      if (name === '') return fail('empty element name');
      if (++nodes > MAX_NODES) return fail('too many nodes');
      const el: XmlElement = { name, attrs: [], children: [] };
      let selfClose = false;
      for (;;) {
        while (j < n && isWs(s.charCodeAt(j))) j++;
        if (j >= n) return fail('unterminated start tag');
        const c = s[j];
        if (c === '>') {
          j++;
          break;
        }
        if (c === '/' && s[j + 1] === '>') {
          selfClose = true;
          j += 2;
          break;
        }
        const an = j;
        while (j < n && !nameEnd(s.charCodeAt(j))) j++;
        const aname = s.slice(an, j);
        if (aname === '') return fail('invalid attribute');
        while (j < n && isWs(s.charCodeAt(j))) j++;
        if (s[j] !== '=') return fail(`attribute ${aname} without value`);
        j++;
        while (j < n && isWs(s.charCodeAt(j))) j++;
        const q = s[j];
        if (q !== '"' && q !== "'") return fail('unquoted attribute value');
        const close = s.indexOf(q, j + 1);
        if (close < 0) return fail('unterminated attribute value');
        const value = decodeXmlEntities(s.slice(j + 1, close));
        el.attrs.push([aname, value]);
        if (doc.attrValues.length >= maxValues) tooMany = true;
        else doc.attrValues.push(value);
        j = close + 1;
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else if (doc.root === undefined) doc.root = el;
      else return fail('more than one root element');
      if (!selfClose) {
        if (stack.length >= MAX_DEPTH) return fail('nesting too deep');
        stack.push(el);
      }
      i = j;
    }
  }
  if (stack.length > 0) return fail(`unclosed element <${stack[stack.length - 1]?.name}>`);
  if (doc.root === undefined) return fail('no root element');
  if (tooMany) return fail(`more than ${maxValues} text nodes or attribute values`);
  return doc;
}

/** The string value of an element: all descendant text, concatenated (XPath string()). */
function textContent(el: XmlElement): string {
  let out = '';
  const stack: (XmlElement | string)[] = [el];
  const order: (XmlElement | string)[] = [];
  while (stack.length > 0) {
    const node = stack.pop() as XmlElement | string;
    if (typeof node === 'string') {
      order.push(node);
      continue;
    }
    for (let k = node.children.length - 1; k >= 0; k--) stack.push(node.children[k] as XmlElement | string);
  }
  for (const t of order) out += t as string;
  return out;
}

function descendants(root: XmlElement, out: XmlElement[]): void {
  const stack: XmlElement[] = [root];
  while (stack.length > 0) {
    const el = stack.pop() as XmlElement;
    out.push(el);
    for (let k = el.children.length - 1; k >= 0; k--) {
      const c = el.children[k];
      if (typeof c !== 'string' && c !== undefined) stack.push(c);
    }
  }
}

/**
 * Evaluates the supported XPath subset and returns the matched values:
 * `/*`, `//*`, `/`, `//text()` → every text node; `//@*`, `//@name` → attribute values;
 * `/a/b/c` (steps may be `*`), `//name`, optionally ending in `/@attr`, `/@*` or `/text()`.
 * Anything else selects nothing.
 */
export function selectXPath(doc: XmlDocument, xpath: string): string[] {
  const p = xpath.trim();
  if (p === '/*' || p === '//*' || p === '/' || p === '//text()' || p === '//node()') return doc.texts;
  if (p === '//@*') return doc.attrValues;
  const root = doc.root;
  if (root === undefined) return [];
  let elements: XmlElement[];
  let rest: string[];
  if (p.startsWith('//')) {
    const steps = p.slice(2).split('/');
    const first = steps.shift() ?? '';
    if (first.startsWith('@')) return attrsOf(allElements(root), first.slice(1));
    elements = allElements(root).filter((e) => first === '*' || e.name === first);
    rest = steps;
  } else if (p.startsWith('/')) {
    const steps = p.slice(1).split('/');
    const first = steps.shift() ?? '';
    elements = first === '*' || root.name === first ? [root] : [];
    rest = steps;
  } else {
    return [];
  }
  for (const step of rest) {
    if (step.startsWith('@')) return attrsOf(elements, step.slice(1));
    if (step === 'text()') {
      const out: string[] = [];
      for (const e of elements) for (const c of e.children) if (typeof c === 'string' && c.trim() !== '') out.push(c);
      return out;
    }
    if (step === '') return [];
    const next: XmlElement[] = [];
    for (const e of elements) {
      for (const c of e.children) if (typeof c !== 'string' && (step === '*' || c.name === step)) next.push(c);
    }
    elements = next;
  }
  return elements.map(textContent);
}

function allElements(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  descendants(root, out);
  return out;
}

function attrsOf(elements: XmlElement[], name: string): string[] {
  const out: string[] = [];
  for (const e of elements) for (const [k, v] of e.attrs) if (name === '*' || k === name) out.push(v);
  return out;
}
