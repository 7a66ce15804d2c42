// The default clock for everything in upstream/: monotonic milliseconds, so wall-clock jumps
// (NTP, DST) never eject, un-eject or open a breaker. Tests inject their own clock instead.
import { performance } from 'node:perf_hooks';

export type Clock = () => number;

export const monotonicNow: Clock = () => performance.now();
