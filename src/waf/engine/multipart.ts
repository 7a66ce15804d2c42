// multipart/form-data request body processor with ModSecurity's strict checks. It never throws:
// every irregularity becomes a MULTIPART_* flag, and hard failures (no boundary, missing final
// boundary, bad part headers) also set `error` (REQBODY_ERROR). Parts read before a failure stay
// available for inspection.

export interface MultipartFlags {
  boundaryQuoted: boolean;
  boundaryWhitespace: boolean;
  missingSemicolon: boolean;
  dataBefore: boolean;
  dataAfter: boolean;
  headerFolding: boolean;
  invalidHeaderFolding: boolean;
  lfLine: boolean;
  crlfLine: boolean;
  invalidQuoting: boolean;
  invalidPart: boolean;
  unmatchedBoundary: boolean;
  fileLimitExceeded: boolean;
}

export interface MultipartPart {
  name: string;
  /** Present for file parts (possibly ''). */
  filename?: string;
  value: string;
  /** Header lines as received, `Name: value`. */
  headers: string[];
}

export interface MultipartResult {
  parts: MultipartPart[];
  flags: MultipartFlags;
  error?: string;
  /** Number of file parts dropped because of the file limit. */
  droppedFiles: number;
}

export interface MultipartLimits {
  /** Most file parts kept (SecUploadFileLimit). */
  fileLimit: number;
  /** Most parts kept in all. */
  partLimit: number;
}

function newFlags(): MultipartFlags {
  return {
    boundaryQuoted: false,
    boundaryWhitespace: false,
    missingSemicolon: false,
    dataBefore: false,
    dataAfter: false,
    headerFolding: false,
    invalidHeaderFolding: false,
    lfLine: false,
    crlfLine: false,
    invalidQuoting: false,
    invalidPart: false,
    unmatchedBoundary: false,
    fileLimitExceeded: false,
  };
}

/** True when any strict-validation flag (or a hard error) is set: MULTIPART_STRICT_ERROR. */
export function strictError(r: MultipartResult): boolean {
  const f = r.flags;
  return (
    r.error !== undefined ||
    f.boundaryQuoted ||
    f.boundaryWhitespace ||
    f.missingSemicolon ||
    f.dataBefore ||
    f.dataAfter ||
    f.headerFolding ||
    f.invalidHeaderFolding ||
    f.lfLine ||
    f.invalidQuoting ||
    f.invalidPart ||
    f.fileLimitExceeded
  );
}

// RFC 2046 bchars (space allowed except last).
const BCHARS = /^[0-9A-Za-z'()+_,\-./:=? ]{1,70}$/;

/** Extracts the boundary from a Content-Type value, flagging irregular syntax. */
export function parseBoundary(contentType: string, flags: MultipartFlags): { boundary?: string; error?: string } {
  const lower = contentType.toLowerCase();
  // The parameter, not any occurrence of the word (`boundary=----WebKitFormBoundaryX` is one).
  const params = [...lower.matchAll(/(^|[;,\s])boundary[ \t]*=/g)];
  if (params.length === 0) {
    return {
      error: `Multipart: ${/(^|[;,\s])boundary/.test(lower) ? 'invalid boundary in Content-Type (malformed)' : 'boundary not found in Content-Type'}`,
    };
  }
  if (params.length > 1) return { error: 'Multipart: multiple boundary parameters' };
  const first = params[0] as RegExpMatchArray;
  const at = (first.index ?? 0) + (first[1]?.length ?? 0);
  const mt = lower.indexOf('multipart/form-data');
  const between = contentType.slice(mt >= 0 ? mt + 19 : 0, at);
  if (!between.includes(';')) flags.missingSemicolon = true;
  let i = at + 8;
  const n = contentType.length;
  const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t';
  if (isWs(contentType[i])) {
    flags.boundaryWhitespace = true;
    while (isWs(contentType[i])) i++;
  }
  if (contentType[i] !== '=') return { error: 'Multipart: invalid boundary in Content-Type (malformed)' };
  i++;
  if (isWs(contentType[i])) {
    flags.boundaryWhitespace = true;
    while (isWs(contentType[i])) i++;
  }
  let boundary: string;
  if (contentType[i] === '"') {
    flags.boundaryQuoted = true;
    const close = contentType.indexOf('"', i + 1);
    if (close < 0) return { error: 'Multipart: invalid boundary in Content-Type (quote)' };
    boundary = contentType.slice(i + 1, close);
    i = close + 1;
  } else {
    let j = i;
    while (j < n && contentType[j] !== ';' && contentType[j] !== ',') j++;
    boundary = contentType.slice(i, j);
    const trimmed = boundary.replace(/[ \t]+$/, '');
    if (trimmed.length !== boundary.length) flags.boundaryWhitespace = true;
    boundary = trimmed;
  }
  if (!BCHARS.test(boundary) || boundary.endsWith(' ')) {
    return { error: 'Multipart: invalid boundary in Content-Type (characters)' };
  }
  return { boundary };
}

interface Disposition {
  name?: string;
  filename?: string;
  error?: string;
}

/** Parses `form-data; name="a"; filename="b"` (parameter values may be quoted or tokens). */
function parseDisposition(v: string, flags: MultipartFlags): Disposition {
  const m = /^\s*form-data\s*/i.exec(v);
  if (!m) return { error: 'Multipart: Content-Disposition is not form-data' };
  let i = m[0].length;
  const n = v.length;
  const out: Disposition = {};
  while (i < n) {
    if (v[i] !== ';') return { error: 'Multipart: invalid Content-Disposition header (expected ;)' };
    i++;
    while (i < n && (v[i] === ' ' || v[i] === '\t')) i++;
    if (i >= n) break; // a trailing ';'
    const eq = v.indexOf('=', i);
    if (eq < 0) return { error: 'Multipart: invalid Content-Disposition header (parameter without value)' };
    const pname = v.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (i < n && (v[i] === ' ' || v[i] === '\t')) i++;
    let value = '';
    if (v[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = v[i];
        if (c === '\\' && (v[i + 1] === '"' || v[i + 1] === '\\')) {
          value += v[i + 1];
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        value += c;
        i++;
      }
      if (!closed) {
        flags.invalidQuoting = true;
        return { error: 'Multipart: invalid Content-Disposition header (unterminated quote)' };
      }
    } else {
      if (v[i] === "'") flags.invalidQuoting = true;
      const semi = v.indexOf(';', i);
      const end = semi < 0 ? n : semi;
      value = v.slice(i, end).trim();
      if (value.includes('"') || value.endsWith("'")) flags.invalidQuoting = true;
      i = end;
    }
    while (i < n && (v[i] === ' ' || v[i] === '\t')) i++;
    if (pname === 'name') {
      if (out.name !== undefined) return { error: 'Multipart: duplicate name parameter' };
      out.name = value;
    } else if (pname === 'filename') {
      if (out.filename !== undefined) return { error: 'Multipart: duplicate filename parameter' };
      out.filename = value;
    } else if (pname === 'filename*') {
      // RFC 5987 form charset'lang'value; the value is kept percent-encoded as sent.
      if (out.filename !== undefined) return { error: 'Multipart: duplicate filename parameter' };
      const q = value.indexOf("'", value.indexOf("'") + 1);
      out.filename = q >= 0 ? value.slice(q + 1) : value;
    } else {
      return { error: `Multipart: invalid Content-Disposition header (unknown parameter ${pname})` };
    }
  }
  return out;
}

/** Splits off one line: returns [content without EOL, index after EOL, eol kind]. */
function nextLine(s: string, from: number): [string, number, 'crlf' | 'lf' | 'none'] {
  const lf = s.indexOf('\n', from);
  if (lf < 0) return [s.slice(from), s.length, 'none'];
  if (lf > from && s.charCodeAt(lf - 1) === 13) return [s.slice(from, lf - 1), lf + 1, 'crlf'];
  return [s.slice(from, lf), lf + 1, 'lf'];
}

export function parseMultipart(body: string, contentType: string, limits: MultipartLimits): MultipartResult {
  const flags = newFlags();
  const result: MultipartResult = { parts: [], flags, droppedFiles: 0 };
  const b = parseBoundary(contentType, flags);
  if (b.boundary === undefined) {
    result.error = b.error;
    return result;
  }
  const dash = `--${b.boundary}`;
  const n = body.length;
  let files = 0;

  // Classifies a line: 1 part boundary, 2 final boundary, 0 other.
  const boundaryKind = (line: string): number => {
    if (!line.startsWith(dash)) {
      if (line.startsWith('--') && line.includes(b.boundary as string)) flags.unmatchedBoundary = true;
      return 0;
    }
    let rest = line.slice(dash.length);
    let kind = 1;
    if (rest.startsWith('--')) {
      kind = 2;
      rest = rest.slice(2);
    }
    if (rest === '') return kind;
    if (/^[ \t]+$/.test(rest)) {
      flags.boundaryWhitespace = true;
      return kind;
    }
    flags.unmatchedBoundary = true;
    return 0;
  };
  const noteEol = (eol: string): void => {
    if (eol === 'lf') flags.lfLine = true;
    else if (eol === 'crlf') flags.crlfLine = true;
  };

  // Preamble: everything up to the first boundary line.
  let pos = 0;
  let found = 0;
  while (pos < n) {
    const [line, next, eol] = nextLine(body, pos);
    const k = boundaryKind(line);
    if (k !== 0) {
      noteEol(eol);
      if (pos > 0) flags.dataBefore = true;
      pos = next;
      found = k;
      break;
    }
    pos = next;
  }
  if (found === 0) {
    if (n > 0) flags.dataBefore = true;
    result.error = 'Multipart: no boundary found in the body';
    return result;
  }

  let final = found === 2;
  while (!final) {
    // Part headers.
    const headers: string[] = [];
    const byName = new Map<string, string>();
    let headerError: string | undefined;
    let ended = false;
    while (pos < n) {
      const [line, next, eol] = nextLine(body, pos);
      noteEol(eol);
      pos = next;
      if (line === '') {
        ended = true;
        break;
      }
      if (line[0] === ' ' || line[0] === '\t') {
        if (headers.length === 0) {
          flags.invalidHeaderFolding = true;
          headerError ??= 'Multipart: invalid header folding';
          continue;
        }
        flags.headerFolding = true;
        const last = headers.length - 1;
        headers[last] = `${headers[last]} ${line.trim()}`;
        const colon0 = (headers[last] as string).indexOf(':');
        const hn = (headers[last] as string).slice(0, colon0).trim().toLowerCase();
        byName.set(hn, (headers[last] as string).slice(colon0 + 1).trim());
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) {
        headerError ??= 'Multipart: invalid part header (colon missing)';
        flags.invalidPart = true;
        headers.push(line);
        continue;
      }
      const hn = line.slice(0, colon).trim().toLowerCase();
      if (byName.has(hn)) headerError ??= `Multipart: duplicate part header ${hn}`;
      byName.set(hn, line.slice(colon + 1).trim());
      headers.push(line);
      if (headers.length > 1000) {
        headerError ??= 'Multipart: too many part headers';
        break;
      }
    }
    if (!ended) {
      result.error = headerError ?? 'Multipart: final boundary missing';
      return result;
    }

    // Part body: up to the next boundary line; the EOL before the boundary is not content.
    const contentStart = pos;
    let contentEnd = n;
    let closed = 0;
    while (pos < n) {
      const lineStart = pos;
      const lf = body.indexOf('\n', pos);
      pos = lf < 0 ? n : lf + 1;
      // Only lines starting with "--" can be boundaries; others are not even sliced out.
      if (body.charCodeAt(lineStart) === 45 && body.charCodeAt(lineStart + 1) === 45) {
        const [line, , eol] = nextLine(body, lineStart);
        const k = boundaryKind(line);
        if (k !== 0) {
          noteEol(eol);
          closed = k;
          // The line break before a boundary belongs to the delimiter, not to the content.
          contentEnd = lineStart;
          if (contentEnd > contentStart && body.charCodeAt(contentEnd - 1) === 10) {
            contentEnd--;
            if (contentEnd > contentStart && body.charCodeAt(contentEnd - 1) === 13) contentEnd--;
          }
          break;
        }
      }
      // Line endings inside part content are data (uploaded text files), not framing: not noted.
    }
    const value = body.slice(contentStart, contentEnd);

    const cd = byName.get('content-disposition');
    let disp: Disposition = {};
    if (cd === undefined) {
      flags.invalidPart = true;
      headerError ??= 'Multipart: part missing Content-Disposition header';
    } else {
      disp = parseDisposition(cd, flags);
      if (disp.error) headerError ??= disp.error;
      else if (disp.name === undefined) {
        flags.invalidPart = true;
        headerError ??= 'Multipart: Content-Disposition header missing name';
      }
    }
    const name = disp.name ?? '';
    if (result.parts.length < limits.partLimit) {
      if (disp.filename !== undefined) {
        files++;
        if (files > limits.fileLimit) {
          flags.fileLimitExceeded = true;
          result.droppedFiles++;
        } else result.parts.push({ name, filename: disp.filename, value, headers });
      } else {
        result.parts.push({ name, value, headers });
      }
    }
    if (headerError) {
      result.error = headerError;
      return result;
    }
    if (closed === 0) {
      result.error = 'Multipart: final boundary missing';
      return result;
    }
    final = closed === 2;
  }
  // Epilogue: anything but line breaks after the final boundary.
  if (pos < n && /[^\r\n]/.test(body.slice(pos))) flags.dataAfter = true;
  return result;
}
