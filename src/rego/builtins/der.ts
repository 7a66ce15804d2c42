// A strict DER reader in the style of Go's cryptobyte (which OPA's x509 parsing goes through):
// minimal lengths, no indefinite forms, and each read either succeeds completely or reports
// failure so the caller can attach Go's error text.

/** Tag bytes as cryptobyte spells them: class | constructed | number (low-tag form). */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUM: 0x0a,
  UTF8String: 0x0c,
  NumericString: 0x12,
  PrintableString: 0x13,
  T61String: 0x14,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  BMPString: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag `[n]`, primitive or constructed. */
export function ctx(n: number, constructed = false): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

export interface Element {
  /** Tag: the first identifier byte for low tags; for high tag numbers (class|cons)<<24 | number. */
  tag: number;
  /** Content octets. */
  body: Buffer;
  /** The whole element, header included. */
  full: Buffer;
}

/** Reads consecutive DER elements from a buffer. Every read returns null on malformed input. */
export class Der {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  empty(): boolean {
    return this.pos >= this.buf.length;
  }

  rest(): Buffer {
    return this.buf.subarray(this.pos);
  }

  /** Parses the header at the current position without moving. */
  private header(): { tag: number; hdr: number; len: number } | null {
    const b = this.buf;
    let p = this.pos;
    if (p + 2 > b.length) return null;
    const first = b[p++] as number;
    let tag = first;
    if ((first & 0x1f) === 0x1f) {
      // High tag number form: base-128, minimal, value ≥ 31.
      let n = 0;
      for (let i = 0; ; i++) {
        if (p >= b.length || i > 4) return null;
        const c = b[p++] as number;
        if (i === 0 && c === 0x80) return null;
        n = n * 128 + (c & 0x7f);
        if ((c & 0x80) === 0) break;
      }
      if (n < 31) return null;
      tag = ((first & 0xe0) << 24) | n;
    }
    if (p >= b.length) return null;
    const l0 = b[p++] as number;
    let len = l0;
    if (l0 & 0x80) {
      const nbytes = l0 & 0x7f;
      // Indefinite length (0x80) and lengths beyond 4 bytes are rejected.
      if (nbytes === 0 || nbytes > 4 || p + nbytes > b.length) return null;
      len = 0;
      for (let i = 0; i < nbytes; i++) len = len * 256 + (b[p++] as number);
      // Non-minimal long forms are not DER.
      if (len < 128) return null;
      if (nbytes > 1 && b[p - nbytes] === 0) return null;
    }
    if (p + len > b.length) return null;
    return { tag, hdr: p - this.pos, len };
  }

  peekTag(): number | null {
    const h = this.header();
    return h ? h.tag : null;
  }

  peek(tag: number): boolean {
    return this.peekTag() === tag;
  }

  /** Reads any element. */
  readAny(): Element | null {
    const h = this.header();
    if (!h) return null;
    const start = this.pos;
    const bodyStart = start + h.hdr;
    this.pos = bodyStart + h.len;
    return { tag: h.tag, body: this.buf.subarray(bodyStart, this.pos), full: this.buf.subarray(start, this.pos) };
  }

  /** Reads an element with the given tag. */
  read(tag: number): Element | null {
    const h = this.header();
    if (!h || h.tag !== tag) return null;
    return this.readAny();
  }

  /** Reads an element with the given tag if it is next; undefined when absent, null when malformed. */
  readOptional(tag: number): Element | null | undefined {
    if (this.empty()) return undefined;
    const t = this.peekTag();
    if (t === null) return null;
    if (t !== tag) return undefined;
    return this.readAny();
  }

  /** A reader over the body of the next element with this tag. */
  sub(tag: number): Der | null {
    const e = this.read(tag);
    return e ? new Der(e.body) : null;
  }

  readBigInt(tag: number = TAG.INTEGER): bigint | null {
    const e = this.read(tag);
    return e ? parseIntegerBytes(e.body) : null;
  }

  /** An INTEGER that fits a JS safe integer (Go would read an int64 or int). */
  readSmallInt(tag: number = TAG.INTEGER): number | null {
    const v = this.readBigInt(tag);
    if (v === null || v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) return null;
    return Number(v);
  }

  readBool(): boolean | null {
    const e = this.read(TAG.BOOLEAN);
    if (e?.body.length !== 1) return null;
    if (e.body[0] === 0) return false;
    if (e.body[0] === 0xff) return true;
    return null;
  }

  readOID(): number[] | null {
    const e = this.read(TAG.OID);
    return e ? parseOID(e.body) : null;
  }

  readBitString(): BitString | null {
    const e = this.read(TAG.BIT_STRING);
    return e ? parseBitString(e.body) : null;
  }
}

/** Two's-complement big-endian INTEGER content, minimally encoded. */
export function parseIntegerBytes(b: Buffer): bigint | null {
  if (b.length === 0) return null;
  if (b.length > 1) {
    if (b[0] === 0 && ((b[1] as number) & 0x80) === 0) return null;
    if (b[0] === 0xff && ((b[1] as number) & 0x80) === 0x80) return null;
  }
  let v = BigInt(`0x${b.toString('hex')}`);
  if (((b[0] as number) & 0x80) !== 0) v -= 1n << BigInt(b.length * 8);
  return v;
}

/** Unsigned big-endian bytes to a bigint. */
export function bytesToBigInt(b: Buffer | Uint8Array): bigint {
  if (b.length === 0) return 0n;
  return BigInt(`0x${Buffer.from(b).toString('hex')}`);
}

/** A non-negative bigint to minimal big-endian bytes (empty for zero), or padded to `size`. */
export function bigIntToBytes(v: bigint, size = 0): Buffer {
  let hex = v.toString(16);
  if (hex === '0') hex = '';
  if (hex.length % 2) hex = `0${hex}`;
  const b = Buffer.from(hex, 'hex');
  if (b.length >= size) return b;
  return Buffer.concat([Buffer.alloc(size - b.length), b]);
}

/** OID content octets to components; null on non-minimal or overflowing encodings. */
export function parseOID(b: Buffer): number[] | null {
  if (b.length === 0) return null;
  const out: number[] = [];
  let i = 0;
  let first = true;
  while (i < b.length) {
    let v = 0;
    if (b[i] === 0x80) return null;
    for (;;) {
      if (i >= b.length) return null;
      const c = b[i++] as number;
      v = v * 128 + (c & 0x7f);
      if (v > 0x7fffffff) return null;
      if ((c & 0x80) === 0) break;
    }
    if (first) {
      if (v < 80) out.push(Math.floor(v / 40), v % 40);
      else out.push(2, v - 80);
      first = false;
    } else out.push(v);
  }
  return out;
}

export function oidString(oid: readonly number[]): string {
  return oid.join('.');
}

/** OID components → content octets (for comparing against known identifiers). */
export function oidEquals(a: readonly number[] | null | undefined, b: readonly number[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface BitString {
  bytes: Buffer;
  bitLength: number;
}

export function parseBitString(b: Buffer): BitString | null {
  if (b.length === 0) return null;
  const pad = b[0] as number;
  const bytes = b.subarray(1);
  if (pad > 7 || (bytes.length === 0 && pad > 0)) return null;
  if (bytes.length > 0 && ((bytes[bytes.length - 1] as number) & ((1 << pad) - 1)) !== 0) return null;
  return { bytes, bitLength: bytes.length * 8 - pad };
}

/** Bit i counting from the most significant bit of the first byte (Go's BitString.At). */
export function bitAt(bs: BitString, i: number): number {
  if (i < 0 || i >= bs.bitLength) return 0;
  return (((bs.bytes[i >> 3] as number) >> (7 - (i & 7))) & 1) as number;
}

/** Go's BitString.RightAlign: the bits shifted so the padding is at the front. */
export function rightAlign(bs: BitString): Buffer {
  const shift = bs.bytes.length * 8 - bs.bitLength;
  if (shift === 0 || bs.bytes.length === 0) return bs.bytes;
  const out = Buffer.alloc(bs.bytes.length);
  out[0] = (bs.bytes[0] as number) >> shift;
  for (let i = 1; i < bs.bytes.length; i++) {
    out[i] = (((bs.bytes[i - 1] as number) << (8 - shift)) | ((bs.bytes[i] as number) >> shift)) & 0xff;
  }
  return out;
}

/** A parsed ASN.1 time: UTC instant in ms plus the zone offset (minutes) it was written in. */
export interface GoTime {
  ms: number;
  offsetMin: number;
}

const TIME_RE_UTC = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/;
const TIME_RE_GEN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{4})$/;

function buildTime(y: number, mo: number, d: number, h: number, mi: number, s: number, zone: string): GoTime | null {
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return null;
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d < 1 || d > dim) return null;
  let offsetMin = 0;
  if (zone !== 'Z') {
    // Go re-serialises and compares, so a zero offset must be written as Z.
    if (zone.slice(1) === '0000') return null;
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(3, 5));
    if (oh > 23 || om > 59) return null;
    offsetMin = (oh * 60 + om) * (zone[0] === '-' ? -1 : 1);
  }
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, 0);
  return { ms: t.getTime() - offsetMin * 60000, offsetMin };
}

/** Reads a UTCTime or GeneralizedTime as Go's cryptobyte does; null when malformed. */
export function readTime(d: Der): GoTime | null | 'unsupported' {
  const t = d.peekTag();
  if (t === TAG.UTCTime) {
    const e = d.readAny() as Element;
    const m = TIME_RE_UTC.exec(e.body.toString('latin1'));
    if (!m) return null;
    const yy = Number(m[1]);
    return buildTime(
      yy < 50 ? 2000 + yy : 1900 + yy,
      +(m[2] as string),
      +(m[3] as string),
      +(m[4] as string),
      +(m[5] as string),
      m[6] === undefined ? 0 : +m[6],
      m[7] as string,
    );
  }
  if (t === TAG.GeneralizedTime) {
    const e = d.readAny() as Element;
    const m = TIME_RE_GEN.exec(e.body.toString('latin1'));
    if (!m) return null;
    return buildTime(
      +(m[1] as string),
      +(m[2] as string),
      +(m[3] as string),
      +(m[4] as string),
      +(m[5] as string),
      +(m[6] as string),
      m[7] as string,
    );
  }
  return 'unsupported';
}

/** Go's time.Time JSON form (RFC 3339 with nanoseconds trimmed), in the zone it was parsed in. */
export function goTimeJSON(t: GoTime): string {
  const local = new Date(t.ms + t.offsetMin * 60000);
  const y = local.getUTCFullYear();
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${pad(y, 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  if (t.offsetMin === 0) return `${base}Z`;
  const a = Math.abs(t.offsetMin);
  return `${base}${t.offsetMin < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}
