// Shared by the three t:parity*7bit transformations (not a transformation itself).

/** 1 when the byte has an odd number of set bits, else 0. */
export function oddBits(c: number): number {
  let x = c ^ (c >> 4);
  x ^= x >> 2;
  x ^= x >> 1;
  return x & 1;
}
