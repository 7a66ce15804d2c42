// Go's encoding/base64 (padded Std and URL alphabets) and encoding/pem decoding, byte for byte:
// OPA's error messages carry Go's offsets ("illegal base64 data at input byte 17") and which PEM
// blocks Go accepts decides what parses.

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function decodeMap(alphabet: string): Uint8Array {
  const m = new Uint8Array(256).fill(0xff);
  for (let i = 0; i < alphabet.length; i++) m[alphabet.charCodeAt(i)] = i;
  return m;
}
const STD_MAP = decodeMap(STD);
const URL_MAP = decodeMap(URL);

/** Go's base64.CorruptInputError. */
export class Base64Error extends Error {
  constructor(readonly offset: number) {
    super(`illegal base64 data at input byte ${offset}`);
  }
}

const NL = 0x0a;
const CR = 0x0d;
const PAD = 0x3d;

/** Decodes padded base64 (Std or URL alphabet) as Go's Encoding.DecodeString; \r and \n are skipped.
 *  Throws Base64Error with Go's offset. */
export function goBase64Decode(src: Buffer, url = false): Buffer {
  const map = url ? URL_MAP : STD_MAP;
  const out: number[] = [];
  let si = 0;
  for (;;) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailing = -1;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out);
        throw new Base64Error(si - j);
      }
      const c = src[si++] as number;
      const v = map[c] as number;
      if (v !== 0xff) {
        dbuf[j] = v;
        continue;
      }
      if (c === NL || c === CR) {
        j--;
        continue;
      }
      if (c !== PAD) throw new Base64Error(si - 1);
      // Padding: only valid after two or three data characters.
      if (j < 2) throw new Base64Error(si - 1);
      if (j === 2) {
        while (si < src.length && (src[si] === NL || src[si] === CR)) si++;
        if (si === src.length) throw new Base64Error(src.length);
        if (src[si] !== PAD) throw new Base64Error(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === NL || src[si] === CR)) si++;
      if (si < src.length) trailing = si;
      dlen = j;
      break;
    }
    const val = ((dbuf[0] as number) << 18) | ((dbuf[1] as number) << 12) | ((dbuf[2] as number) << 6) | (dbuf[3] as number);
    if (dlen >= 2) out.push((val >> 16) & 0xff);
    if (dlen >= 3) out.push((val >> 8) & 0xff);
    if (dlen === 4) out.push(val & 0xff);
    if (trailing >= 0) throw new Base64Error(trailing);
    if (dlen < 4) return Buffer.from(out);
  }
}

/** base64.StdEncoding.DecodeString of a Rego string (its UTF-8 bytes). */
export function stdDecodeString(s: string): Buffer {
  return goBase64Decode(Buffer.from(s, 'utf8'));
}

/** OPA's base64url.decode: pads unpadded input (RFC 7515 appendix C), then decodes strictly.
 *  Throws Error with OPA's message. */
export function base64UrlDecode(s: string): Buffer {
  let t = s;
  if (!t.endsWith('=')) {
    switch (t.length % 4) {
      case 0:
        break;
      case 2:
        t += '==';
        break;
      case 3:
        t += '=';
        break;
      default:
        throw new Error(`illegal base64url string: ${s}`);
    }
  }
  return goBase64Decode(Buffer.from(t, 'utf8'), true);
}

/** Unpadded base64url encoding (JWS segments). */
export function b64url(b: Buffer | string): string {
  return Buffer.from(b).toString('base64url');
}

/** Lenient decoding as JOSE libraries do for JWK members: either alphabet, padding optional.
 *  Returns null when the text is not base64 at all. */
export function lenientBase64(s: string): Buffer | null {
  const t = s.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/_-]*$/.test(t) || t.length % 4 === 1) return null;
  return Buffer.from(t.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url');
}

export interface PemBlock {
  type: string;
  headers: Map<string, string>;
  bytes: Buffer;
}

const BEGIN = Buffer.from('\n-----BEGIN ');
const END = Buffer.from('\n-----END ');
const DASHES = Buffer.from('-----');

function startsWith(b: Buffer, p: Buffer, at = 0): boolean {
  if (b.length - at < p.length) return false;
  return b.compare(p, 0, p.length, at, at + p.length) === 0;
}

function endsWith(b: Buffer, p: Buffer): boolean {
  return b.length >= p.length && b.compare(p, 0, p.length, b.length - p.length) === 0;
}

/** Go's getLine: the line without its end-of-line (and trailing spaces/tabs), and the rest. */
function getLine(data: Buffer): [Buffer, Buffer] {
  let i = data.indexOf(NL);
  let j: number;
  if (i < 0) {
    i = data.length;
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] === CR) i--;
  }
  let e = i;
  while (e > 0 && (data[e - 1] === 0x20 || data[e - 1] === 0x09)) e--;
  return [data.subarray(0, e), data.subarray(j)];
}

function removeSpacesAndTabs(b: Buffer): Buffer {
  const out: number[] = [];
  for (const c of b) if (c !== 0x20 && c !== 0x09) out.push(c);
  return Buffer.from(out);
}

/** Go's pem.Decode: the first valid PEM block and the bytes after it, or [null, data]. */
export function pemDecode(data: Buffer): [PemBlock | null, Buffer] {
  let rest = data;
  for (;;) {
    if (startsWith(rest, BEGIN.subarray(1))) {
      rest = rest.subarray(BEGIN.length - 1);
    } else {
      const i = rest.indexOf(BEGIN);
      if (i < 0) return [null, data];
      rest = rest.subarray(i + BEGIN.length);
    }
    let typeLine: Buffer;
    [typeLine, rest] = getLine(rest);
    if (!endsWith(typeLine, DASHES)) continue;
    typeLine = typeLine.subarray(0, typeLine.length - DASHES.length);

    const headers = new Map<string, string>();
    let truncated = false;
    for (;;) {
      if (rest.length === 0) {
        truncated = true;
        break;
      }
      const [line, next] = getLine(rest);
      const colon = line.indexOf(0x3a);
      if (colon < 0) break;
      headers.set(
        line.subarray(0, colon).toString('latin1').trim(),
        line
          .subarray(colon + 1)
          .toString('latin1')
          .trim(),
      );
      rest = next;
    }
    if (truncated) return [null, data];

    let endIndex: number;
    let endTrailerIndex: number;
    if (headers.size === 0 && startsWith(rest, END.subarray(1))) {
      endIndex = 0;
      endTrailerIndex = END.length - 1;
    } else {
      endIndex = rest.indexOf(END);
      endTrailerIndex = endIndex + END.length;
    }
    if (endIndex < 0) continue;

    let endTrailer = rest.subarray(endTrailerIndex);
    const endTrailerLen = typeLine.length + DASHES.length;
    if (endTrailer.length < endTrailerLen) continue;
    const restOfEndLine = endTrailer.subarray(endTrailerLen);
    endTrailer = endTrailer.subarray(0, endTrailerLen);
    if (!startsWith(endTrailer, typeLine) || !endsWith(endTrailer, DASHES)) continue;
    if (getLine(restOfEndLine)[0].length !== 0) continue;

    let bytes: Buffer;
    try {
      bytes = goBase64Decode(removeSpacesAndTabs(rest.subarray(0, endIndex)));
    } catch {
      continue;
    }
    const after = getLine(rest.subarray(endIndex + END.length - 1))[1];
    return [{ type: typeLine.toString('latin1'), headers, bytes }, after];
  }
}

/** Every PEM block in the data, in order (stops at the first stretch that holds none). */
export function pemDecodeAll(data: Buffer): PemBlock[] {
  const out: PemBlock[] = [];
  let rest = data;
  for (;;) {
    const [block, next] = pemDecode(rest);
    if (!block) return out;
    out.push(block);
    rest = next;
  }
}

/** Go's pem.Encode for a block without headers (64-column base64 lines). */
export function pemEncode(type: string, bytes: Buffer): Buffer {
  const b64 = bytes.toString('base64');
  let body = '';
  for (let i = 0; i < b64.length; i += 64) body += `${b64.slice(i, i + 64)}\n`;
  return Buffer.from(`-----BEGIN ${type}-----\n${body}-----END ${type}-----\n`, 'latin1');
}
