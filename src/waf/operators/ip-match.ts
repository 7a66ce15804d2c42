// @ipMatch: the value (an IPv4 or IPv6 address) is in the comma-separated list of addresses and CIDR
// networks given as the parameter, e.g. `@ipMatch 127.0.0.1,10.0.0.0/8,::1`. Invalid entries fail
// rule load; a value that is not an address never matches.
import { addIpList, IpSet } from './ip-set.js';
import { OperatorError, registerOperator } from './registry.js';

registerOperator({
  name: 'ipMatch',
  create(param) {
    const set = new IpSet();
    const err = addIpList(set, param);
    if (err !== null) throw new OperatorError(`@ipMatch: ${err}`);
    if (set.empty) throw new OperatorError('@ipMatch: no address given');
    return { evaluate: (_ctx, value) => set.has(value) };
  },
});
