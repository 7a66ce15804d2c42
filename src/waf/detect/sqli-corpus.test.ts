import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benignInputs, deriveFingerprints } from './sqli-corpus.js';
import { SQLI_FINGERPRINTS } from './sqli-fingerprints.js';
import { detect } from './sqli.js';

test('sqli corpus: the committed fingerprint set is the one the corpora derive', () => {
  const d = deriveFingerprints();
  const committed = [...SQLI_FINGERPRINTS].sort();
  const missing = d.fingerprints.filter((f) => !SQLI_FINGERPRINTS.has(f));
  const extra = committed.filter((f) => !d.fingerprints.includes(f));
  assert.deepEqual(
    { missing: missing.slice(0, 20), extra: extra.slice(0, 20) },
    { missing: [], extra: [] },
    'run: node --import tsx src/waf/detect/generate-fingerprints.ts',
  );
  // Benign collisions cost some attack shapes; most must survive.
  const share = d.covered / d.forms;
  console.log(`sqli corpus: ${d.fingerprints.length} fingerprints, ${d.covered}/${d.forms} attack forms covered`);
  assert.ok(share > 0.95, `attack forms covered: ${share}`);
});

test('sqli corpus: no benign corpus text is detected', () => {
  const hits: string[] = [];
  for (const b of benignInputs()) if (detect(b).match) hits.push(b);
  assert.deepEqual(hits.slice(0, 20), []);
});
