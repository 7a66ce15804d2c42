// Derivation of the SQLi fingerprint set (sqli-fingerprints.ts, written by generate-fingerprints.ts):
// a fingerprint is SQLi when some attack form (sqli-attacks.ts) produces it in the context it was
// written for and no benign text (sqli-benign.ts) produces it in any context.

import { attackForms } from './sqli-attacks.js';
import { benignInputs } from './sqli-benign.js';
import { contextsFor, fingerprint } from './sqli.js';

export { attackForms, type AttackForm } from './sqli-attacks.js';
export { benignInputs } from './sqli-benign.js';

/** Fingerprints produced by benign text in any context. */
export function benignFingerprints(): Set<string> {
  const out = new Set<string>();
  for (const s of benignInputs()) for (const ctx of contextsFor(s)) out.add(fingerprint(s, ctx));
  return out;
}

/** Token types that carry SQL meaning (keywords, functions, operators, comments, variables, types). */
const SIGNAL = /[EUTBkf&ovcAt]/;

export interface Derivation {
  /** Sorted fingerprint set. */
  fingerprints: string[];
  /** Attack forms generated, and how many of them have a fingerprint in the set. */
  forms: number;
  covered: number;
}

/** The SQLi fingerprint set: attack fingerprints (in their own context) minus benign ones. */
export function deriveFingerprints(): Derivation {
  const benign = benignFingerprints();
  const out = new Set<string>();
  let forms = 0;
  let covered = 0;
  for (const a of attackForms()) {
    forms++;
    const fp = fingerprint(a.input, a.ctx);
    // A single token is never enough evidence, nor a run of plain values and punctuation.
    if (fp.length > 1 && SIGNAL.test(fp) && !benign.has(fp)) {
      out.add(fp);
      covered++;
    }
  }
  return { fingerprints: [...out].sort(), forms, covered };
}
