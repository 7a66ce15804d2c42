// uuid.rfc4122 (a random version-4 UUID, the same for the same key within one query) and uuid.parse
// (the fields OPA decodes from a UUID: version and variant always; time, clock sequence and node for
// versions 1 and 2; id and domain for version 2). An unparsable string gives no result.
import { randomUUID } from 'node:crypto';
import { canonical, RObject, type Value } from '../value.js';
import { str } from './args.js';
import { registerBuiltin } from './registry.js';

/** 100 ns intervals between the Gregorian reform (1582-10-15) and the Unix epoch. */
const GREGORIAN_TO_UNIX_100NS = 122_192_928_000_000_000n;

const HEX32 = /^[0-9a-fA-F]{32}$/;
const DASHED = /^([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})$/;

/** The 16 bytes of a UUID in any of the accepted spellings: plain, "{...}", "urn:uuid:...", or 32
 *  hex digits without dashes. */
export function uuidBytes(s: string): Uint8Array | null {
  let hex: string;
  if (s.length === 32) {
    if (!HEX32.test(s)) return null;
    hex = s;
  } else {
    let body = s;
    if (s.length === 45 && s.slice(0, 9).toLowerCase() === 'urn:uuid:') body = s.slice(9);
    else if (s.length === 38 && s[0] === '{' && s[37] === '}') body = s.slice(1, 37);
    const m = DASHED.exec(body);
    if (m === null) return null;
    hex = m.slice(1).join('');
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function variant(b8: number): string {
  if ((b8 & 0xc0) === 0x80) return 'RFC4122';
  if ((b8 & 0xe0) === 0xc0) return 'Microsoft';
  if ((b8 & 0xe0) === 0xe0) return 'Future';
  return 'Reserved';
}

function macVariables(b: number): string {
  if ((b & 0b11) === 0b11) return 'local:multicast';
  if ((b & 0b01) === 0b01) return 'global:multicast';
  if ((b & 0b10) === 0b10) return 'local:unicast';
  return 'global:unicast';
}

function domain(d: number): string {
  return ['Person', 'Group', 'Org'][d] ?? `Domain${d}`;
}

export function parseUUID(s: string): RObject | null {
  const b = uuidBytes(s);
  if (b === null) return null;
  const byte = (i: number) => b[i] as number;
  const version = byte(6) >> 4;
  const out = new RObject();
  out.set('version', version);
  out.set('variant', variant(byte(8)));
  if (version === 1 || version === 2) {
    const be = (from: number, to: number) => {
      let n = 0n;
      for (let i = from; i < to; i++) n = (n << 8n) | BigInt(byte(i));
      return n;
    };
    // 60-bit timestamp in 100 ns units since 1582: time_low | time_mid << 32 | (time_hi & 0xfff) << 48.
    const ticks = be(0, 4) | (be(4, 6) << 32n) | ((be(6, 8) & 0xfffn) << 48n);
    out.set('time', Number(BigInt.asIntN(64, (ticks - GREGORIAN_TO_UNIX_100NS) * 100n)));
    out.set('clocksequence', Number(be(8, 10) & 0x3fffn));
    out.set('nodeid', [...b.slice(10, 16)].map((x) => x.toString(16).padStart(2, '0')).join('-'));
    out.set('macvariables', macVariables(byte(10)));
    if (version === 2) {
      out.set('id', Number(be(0, 4)));
      out.set('domain', domain(byte(9)));
    }
  }
  return out;
}

registerBuiltin({
  name: 'uuid.parse',
  decl: { args: ['string'], result: 'object' },
  fn: (args) => parseUUID(str(args, 0, 'uuid.parse')) ?? undefined,
});

registerBuiltin({
  name: 'uuid.rfc4122',
  decl: { args: ['string'], result: 'string' },
  nondeterministic: true,
  fn: (args, ctx) => {
    // OPA keys the cache on the operand's value (any type passes at runtime); so do we.
    const key = `uuid.rfc4122\u0000${canonical(args[0] as Value)}`;
    const hit = ctx.cache.get(key);
    if (typeof hit === 'string') return hit;
    const id = randomUUID();
    ctx.cache.set(key, id);
    return id;
  },
});
