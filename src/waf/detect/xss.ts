// Cross-site scripting detector in the manner of libinjection's (which ModSecurity's @detectXSS uses):
// the input is scanned by a small HTML5-style tokenizer (one linear pass, no regular expressions) as
// if it had been pasted into a page at each place an application may echo it: as text, inside an
// unquoted attribute value, or inside a '…', "…" or `…` attribute value. It is XSS when the scan meets
// something that runs script: a tag that loads or contains code (script, iframe, object, svg, …), an
// event-handler or style attribute, a URL attribute whose value uses the javascript:/vbscript: scheme
// or an HTML data: URL, Netscape `&{…}` entities, IE conditional comments, or processing instructions.

/** Tags that run or load active content by themselves. */
const DANGEROUS_TAGS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'style',
  'link',
  'meta',
  'base',
  'svg',
  'math',
  'xml',
  'import',
  'isindex',
  'vmlframe',
  'layer',
  'ilayer',
  'bgsound',
]);

/** Attributes whose value is a URL (or code) a browser will load or navigate to. */
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'data',
  'background',
  'dynsrc',
  'lowsrc',
  'poster',
  'code',
  'codebase',
  'classid',
  'archive',
  'cite',
  'longdesc',
  'usemap',
  'profile',
  'xlink:href',
  'to',
  'from',
  'values',
  'by',
  'content',
  'value',
]);

/** Schemes that run script wherever a URL is loaded. */
const SCRIPT_SCHEMES = ['javascript:', 'vbscript:', 'livescript:', 'mocha:'];

/** data: URLs that a browser renders as a document (and so can carry script). */
const ACTIVE_DATA_TYPES = ['html', 'svg', 'xml', 'javascript', 'ecmascript', 'xsl'];

/** Longest name / value prefix worth keeping: every check looks only at the start. */
const MAX_NAME = 40;
const MAX_VALUE = 96;

enum State {
  Data,
  TagOpen,
  EndTagOpen,
  TagName,
  BeforeAttrName,
  AttrName,
  AfterAttrName,
  BeforeAttrValue,
  AttrValueQuoted,
  AttrValueUnquoted,
  AfterAttrValueQuoted,
  BogusComment,
  Comment,
}

/** Where the input is assumed to be echoed. */
type StartContext = 'text' | 'unquoted' | "'" | '"' | '`';
const CONTEXTS: readonly StartContext[] = ['text', 'unquoted', "'", '"', '`'];

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
const isAlpha = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));

/** Decodes the character references browsers honour inside attribute values (enough for scheme checks). */
function decodeEntities(v: string): string {
  if (!v.includes('&')) return v;
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i] as string;
    if (c !== '&') {
      out += c;
      continue;
    }
    if (v[i + 1] === '#') {
      const hex = v[i + 2] === 'x' || v[i + 2] === 'X';
      let j = i + (hex ? 3 : 2);
      let n = 0;
      const start = j;
      // Leading zeros are allowed without limit; the number itself is capped.
      while (j < v.length && j - start < 12) {
        const d = v[j] as string;
        const k = hex ? Number.parseInt(d, 16) : d >= '0' && d <= '9' ? d.charCodeAt(0) - 48 : Number.NaN;
        if (Number.isNaN(k)) break;
        n = Math.min(n * (hex ? 16 : 10) + k, 0x10ffff);
        j++;
      }
      if (j > start) {
        out += String.fromCodePoint(n);
        i = v[j] === ';' ? j : j - 1;
        continue;
      }
    } else {
      const semi = v.indexOf(';', i);
      if (semi > i && semi - i <= 10) {
        const named = NAMED[v.slice(i + 1, semi).toLowerCase()];
        if (named !== undefined) {
          out += named;
          i = semi;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}
const NAMED: Record<string, string> = { colon: ':', tab: '\t', newline: '\n', lpar: '(', rpar: ')', sol: '/', amp: '&' };

/** Is this attribute value a URL that runs script? */
export function isScriptUrl(raw: string): boolean {
  // Browsers drop leading control characters/spaces and ignore tabs and newlines inside a scheme.
  const decoded = decodeEntities(raw.slice(0, MAX_VALUE));
  let v = '';
  for (const c of decoded) if (c.charCodeAt(0) > 0x20) v += c;
  v = v.toLowerCase();
  if (SCRIPT_SCHEMES.some((s) => v.startsWith(s))) return true;
  if (v.startsWith('data:')) {
    // No media type (data:,…) is text a script element will run; otherwise only document types.
    const type = v.slice(5, 40);
    return type.startsWith(',') || ACTIVE_DATA_TYPES.some((t) => type.includes(t));
  }
  return false;
}

/** A tag that runs or loads active content, also under a namespace prefix (<x:script xmlns:x=…>). */
function isDangerousTag(name: string): boolean {
  const lower = name.toLowerCase();
  const colon = lower.lastIndexOf(':');
  return DANGEROUS_TAGS.has(colon < 0 ? lower : lower.slice(colon + 1));
}

/** One scan of an input from one start context. Names and values are kept as offsets into the input
 * and sliced once when complete (bounded to their first MAX_NAME / MAX_VALUE characters). */
class Scanner {
  private state: State = State.Data;
  private quote = '';
  private tagStart = 0;
  private attrStart = -1;
  /** Name of the attribute whose value is being read ('' for the value the input started in). */
  private attr = '';
  private valueStart = 0;
  private commentStart = 0;
  /** Past the value the input started in, so attributes follow. */
  private inTag = false;
  /** A `<name` was seen: attributes belong to a real tag. */
  private realTag = false;

  constructor(private readonly s: string) {}

  private slice(from: number, to: number, max: number): string {
    return this.s.slice(from, Math.min(to, from + max));
  }

  /** The attribute name that started at attrStart ends at `i`. */
  private nameEnd(i: number): void {
    this.attr = this.slice(this.attrStart, i, MAX_NAME).toLowerCase();
    this.attrStart = -1;
  }

  /** An attribute is complete: judge it. `value` is undefined when it had no `=value`. */
  private attribute(value: string | undefined): boolean {
    const name = this.attr;
    this.attr = '';
    // Event handlers (onload, onerror, onmouseover, …): in a real tag even without a value, since
    // browsers vary in what they take as the end of an attribute name.
    if (name.length > 2 && name.startsWith('on') && isAlpha(name[2]) && (value !== undefined || this.realTag)) return true;
    if (value === undefined) return false;
    // Inline CSS (expression(), url(javascript:)), inline documents, namespaces, IE data binding.
    if (name === 'style' || name === 'srcdoc' || name.startsWith('xmlns') || name === 'dataformatas') return true;
    if (value.includes('&{')) return true; // Netscape JavaScript entity
    // Markup inside a value (href="about:<script>…") is judged as markup.
    if (value.includes('<') && new Scanner(value).run('text')) return true;
    if (URL_ATTRIBUTES.has(name) || name.endsWith(':href')) return isScriptUrl(value);
    return false;
  }

  /** The value that started at valueStart ends at `i`. */
  private valueEnd(i: number): boolean {
    const value = this.slice(this.valueStart, i, MAX_VALUE);
    // The value the input started in belongs to an attribute we cannot see: judge it like a URL.
    if (!this.inTag && this.attr === '') return value.includes('&{') || isScriptUrl(value);
    return this.attribute(value);
  }

  /** True as soon as something script-bearing is met. */
  run(ctx: StartContext): boolean {
    const s = this.s;
    if (ctx === 'text') this.state = State.Data;
    else if (ctx === 'unquoted')
      this.state = State.BeforeAttrValue; // right after `name=`: may still open a quote
    else {
      this.state = State.AttrValueQuoted;
      this.quote = ctx;
    }
    for (let i = 0; i < s.length; i++) {
      if (this.state === State.Data) {
        // Text cannot run script: jump to the next '<'.
        const lt = s.indexOf('<', i);
        if (lt < 0) break;
        i = lt;
      }
      if (this.step(s[i] as string, i)) return true;
    }
    // End of input: judge what is still open, as a browser would at the end of the document.
    const n = s.length;
    switch (this.state as State) {
      case State.TagName:
        return isDangerousTag(this.slice(this.tagStart, n, MAX_NAME));
      case State.AttrName:
        this.nameEnd(n);
        return this.attribute(undefined);
      case State.AttrValueQuoted:
      case State.AttrValueUnquoted:
        return this.valueEnd(n);
      case State.Comment:
      case State.BogusComment:
        return isConditionalComment(this.slice(this.commentStart, n, 16));
      default:
        return false;
    }
  }

  /** Consumes character `c` at `i`; true when it completes something script-bearing. */
  private step(c: string, i: number): boolean {
    const s = this.s;
    switch (this.state) {
      case State.Data:
        if (c === '<') this.state = State.TagOpen;
        return false;
      case State.TagOpen:
        if (isAlpha(c)) {
          this.tagStart = i;
          this.state = State.TagName;
        } else if (c === '/') this.state = State.EndTagOpen;
        else if (c === '!') {
          // <!-- comment -->, <!DOCTYPE …>, <![CDATA[ … ]]>: all read as comments here.
          const dashes = s.startsWith('--', i + 1);
          this.state = dashes ? State.Comment : State.BogusComment;
          this.commentStart = dashes ? i + 3 : i + 1;
        } else if (c === '?') {
          // <?xml …?>, <?import …>, <?php …: processing instructions are never benign input.
          if (isAlpha(s[i + 1]) || s[i + 1] === ' ' || s[i + 1] === '=') return true;
          this.state = State.BogusComment;
          this.commentStart = i + 1;
        } else if (c !== '<') this.state = State.Data;
        return false;
      case State.EndTagOpen:
        // End tags cannot run script; skip to '>'.
        if (c === '>') this.state = State.Data;
        return false;
      case State.TagName:
        if (isSpace(c) || c === '/' || c === '>' || c === '<') {
          if (isDangerousTag(this.slice(this.tagStart, i, MAX_NAME))) return true;
          this.inTag = true;
          this.realTag = true;
          // <scr<script>: judge the inner tag too.
          this.state = c === '>' ? State.Data : c === '<' ? State.TagOpen : State.BeforeAttrName;
        }
        return false;
      case State.BeforeAttrName:
      case State.AfterAttrValueQuoted:
        if (isSpace(c) || c === '/') this.state = State.BeforeAttrName;
        else if (c === '>') this.state = State.Data;
        else if (c === '<')
          this.state = State.TagOpen; // <b <script>: judge the would-be tag
        else {
          this.attrStart = i;
          this.state = State.AttrName;
        }
        return false;
      case State.AttrName:
        if (isSpace(c) || c === '/' || c === '=' || c === '>') {
          this.nameEnd(i);
          if (c === '=') this.state = State.BeforeAttrValue;
          else if (c === '>') {
            this.state = State.Data;
            return this.attribute(undefined);
          } else this.state = State.AfterAttrName;
        }
        return false;
      case State.AfterAttrName:
        if (isSpace(c) || c === '/') return false;
        if (c === '=') {
          this.state = State.BeforeAttrValue;
          return false;
        }
        if (this.attribute(undefined)) return true;
        if (c === '>') this.state = State.Data;
        else {
          this.attrStart = i;
          this.state = State.AttrName;
        }
        return false;
      case State.BeforeAttrValue:
        if (isSpace(c)) return false;
        if (c === '"' || c === "'" || c === '`') {
          this.quote = c;
          this.valueStart = i + 1;
          this.state = State.AttrValueQuoted;
          return false;
        }
        if (c === '>') {
          this.state = State.Data;
          return this.valueEnd(i);
        }
        this.valueStart = i;
        this.state = State.AttrValueUnquoted;
        return false;
      case State.AttrValueQuoted:
        if (c !== this.quote) return false;
        this.state = State.AfterAttrValueQuoted;
        if (this.valueEnd(i)) return true;
        this.inTag = true;
        return false;
      case State.AttrValueUnquoted:
        if (!isSpace(c) && c !== '>') return false;
        this.state = c === '>' ? State.Data : State.BeforeAttrName;
        if (this.valueEnd(i)) return true;
        this.inTag = true;
        return false;
      case State.BogusComment:
      case State.Comment: {
        const ends = c === '>' && (this.state === State.BogusComment || s.startsWith('--', i - 2) || s.startsWith('--!', i - 3));
        if (ends) this.state = State.Data;
        // Only the opening of a comment decides whether it is conditional.
        else if (i - this.commentStart < 16) return isConditionalComment(s.slice(this.commentStart, i + 1));
        return false;
      }
    }
    return false;
  }
}

/** IE conditional comments (<!--[if …]>) and server-side includes run code. */
function isConditionalComment(text: string): boolean {
  const t = text.trimStart().toLowerCase();
  return (
    t.startsWith('[if') || t.startsWith('[endif') || t.startsWith('#exec') || t.startsWith('#include') || t.startsWith('entity')
  );
}

/** Detects cross-site scripting in a byte string. */
export function detect(input: string): boolean {
  for (const ctx of CONTEXTS) {
    // Quote contexts only matter when the input can close that quote.
    if (ctx !== 'text' && ctx !== 'unquoted' && !input.includes(ctx)) continue;
    if (new Scanner(input).run(ctx)) return true;
  }
  // Form-encoded spaces (<img+src=x+onerror=…>) when the value was not decoded before inspection.
  if (input.includes('+') && input.includes('<')) return new Scanner(input.replaceAll('+', ' ')).run('text');
  return false;
}
