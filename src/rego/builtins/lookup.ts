// net.lookup_ip_addr: the IPv4/IPv6 addresses a name resolves to (the system resolver, as Go's
// net.LookupIPAddr uses), answered synchronously through the helper thread. Results are cached for
// the rest of the query so repeated lookups agree.
import { RSet, type Value } from '../value.js';
import { builtinErr, str } from './args.js';
import { registerBuiltin } from './registry.js';
import { callSync, SyncCallError } from './sync-worker.js';

const NAME = 'net.lookup_ip_addr';
const LOOKUP_TIMEOUT_MS = 10_000;

/** Node resolver failures in the words Go's resolver uses. */
function lookupMessage(name: string, e: SyncCallError): string {
  if (e.timedOut) return `lookup ${name}: i/o timeout`;
  switch (e.code) {
    case 'ENOTFOUND':
    case 'ENODATA':
    case 'EAI_NONAME':
      return `lookup ${name}: no such host`;
    case 'EAI_AGAIN':
      return `lookup ${name}: temporary failure in name resolution`;
    default:
      return `lookup ${name}: ${e.message}`;
  }
}

registerBuiltin({
  name: NAME,
  decl: { args: ['string'], result: 'set' },
  nondeterministic: true,
  fn: (args, ctx) => {
    const name = str(args, 0, NAME);
    const key = `${NAME}\u0000${name}`;
    const cached = ctx.cache.get(key);
    if (cached instanceof RSet) return cached;
    // Go refuses the empty name; Node would answer with no addresses.
    if (name === '') throw builtinErr(NAME, 'lookup : no such host');
    let addresses: string[];
    try {
      addresses = callSync<{ addresses: string[] }>('lookup', { name }, LOOKUP_TIMEOUT_MS).addresses;
    } catch (e) {
      if (e instanceof SyncCallError) throw builtinErr(NAME, lookupMessage(name, e));
      throw e;
    }
    const out = RSet.from(addresses as Value[]);
    ctx.cache.set(key, out);
    return out;
  },
});
