// Balancers by the name used in upstreams.*.balancer (BALANCERS in config/schema.ts).
import type { BALANCERS } from '../../../config/schema.js';
import type { Balancer, BalancerContext, BalancerFactory } from './balancer.js';
import { createEwma } from './ewma.js';
import { createLeastConn } from './least-conn.js';
import { createP2c } from './p2c.js';
import { createRendezvous } from './rendezvous.js';
import { createRoundRobin } from './round-robin.js';

export type BalancerName = (typeof BALANCERS)[number];

export const balancers: Readonly<Record<BalancerName, BalancerFactory>> = {
  round_robin: createRoundRobin,
  least_conn: createLeastConn,
  ewma: createEwma,
  p2c: createP2c,
  rendezvous: createRendezvous,
};

/** Create the named balancer; throws a clear error for an unknown name. */
export function createBalancer(name: string, ctx: BalancerContext): Balancer {
  const factory = Object.hasOwn(balancers, name) ? balancers[name as BalancerName] : undefined;
  if (!factory) throw new Error(`unknown balancer "${name}" (known: ${Object.keys(balancers).join(', ')})`);
  return factory(ctx);
}
