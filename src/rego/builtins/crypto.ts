// Hashes and HMACs over the UTF-8 bytes of strings, as hex digests: crypto.md5, crypto.sha1,
// crypto.sha256, crypto.hmac.{md5,sha1,sha256,sha512} and the constant-time crypto.hmac.equal.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { str } from './args.js';
import { registerBuiltin } from './registry.js';

for (const [name, alg] of [
  ['crypto.md5', 'md5'],
  ['crypto.sha1', 'sha1'],
  ['crypto.sha256', 'sha256'],
] as const) {
  registerBuiltin({
    name,
    decl: { args: ['string'], result: 'string' },
    fn: (args) =>
      createHash(alg)
        .update(str(args, 0, name), 'utf8')
        .digest('hex'),
  });
}

for (const alg of ['md5', 'sha1', 'sha256', 'sha512'] as const) {
  const name = `crypto.hmac.${alg}`;
  registerBuiltin({
    name,
    decl: { args: ['string', 'string'], result: 'string' },
    fn: (args) => {
      const message = str(args, 0, name);
      const key = str(args, 1, name);
      return createHmac(alg, Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
    },
  });
}

registerBuiltin({
  name: 'crypto.hmac.equal',
  decl: { args: ['string', 'string'], result: 'boolean' },
  fn: (args) => {
    const a = Buffer.from(str(args, 0, 'crypto.hmac.equal'), 'utf8');
    const b = Buffer.from(str(args, 1, 'crypto.hmac.equal'), 'utf8');
    // Go's hmac.Equal: unequal lengths are unequal at once; equal lengths compare in constant time.
    return a.length === b.length && timingSafeEqual(a, b);
  },
});
