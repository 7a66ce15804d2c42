// Measures both detectors on the labelled HTTP-parameter corpus in ../shared (payload, length,
// attack_type, label): true-positive rate on the sqli and xss rows, false-positive rate on the
// benign (norm) rows. Skipped with a reason when ../shared is absent; a failure under CI=true.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { detect as detectSqli } from './sqli.js';
import { detect as detectXss } from './xss.js';

const CORPUS = path.join('shared', 'corpora', 'httpparams', 'payload_train.csv');

/**
 * The corpus beside the project root: walking up from this file, each directory holding a
 * package.json is a candidate root (a build output may carry its own), and ../shared is looked for
 * beside it. Returns the first path that exists, else the first one tried.
 */
function corpusPath(): { file: string; found: boolean } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  let first = '';
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) {
      const file = path.join(dir, '..', CORPUS);
      if (existsSync(file)) return { file, found: true };
      first ||= file;
    }
    const up = path.dirname(dir);
    if (up === dir) return { file: first, found: false };
    dir = up;
  }
}

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const { file: csvPath, found: present } = corpusPath();
const skip = present ? false : `corpus not found (${csvPath || 'no package.json above this file'})`;

test('corpus is present under CI', { skip: process.env.CI !== 'true' }, () => {
  assert.ok(present, `CI=true but ${csvPath} is missing`);
});

test('detectors on the labelled HTTP-parameter corpus', { skip }, () => {
  // Values are byte strings, as the WAF sees them.
  const rows = parseCsv(readFileSync(csvPath, 'latin1'));
  const header = rows.shift() ?? [];
  const col = (name: string) => header.indexOf(name);
  const [iPayload, iType, iLabel] = [col('payload'), col('attack_type'), col('label')];
  assert.ok(iPayload >= 0 && iType >= 0 && iLabel >= 0, `unexpected header ${header.join(',')}`);

  const count = { sqli: [0, 0], xss: [0, 0], normSqli: [0, 0], normXss: [0, 0] };
  const falsePositives: string[] = [];
  for (const r of rows) {
    const payload = r[iPayload] ?? '';
    const type = r[iType];
    if (type === 'sqli') {
      count.sqli[0]++;
      if (detectSqli(payload).match) count.sqli[1]++;
    } else if (type === 'xss') {
      count.xss[0]++;
      if (detectXss(payload)) count.xss[1]++;
    } else if (r[iLabel] === 'norm') {
      const s = detectSqli(payload).match;
      const x = detectXss(payload);
      count.normSqli[0]++;
      count.normXss[0]++;
      if (s) count.normSqli[1]++;
      if (x) count.normXss[1]++;
      if ((s || x) && falsePositives.length < 10) falsePositives.push(payload);
    }
  }
  const rate = ([n, hit]: number[]) => (n ? (hit as number) / (n as number) : 0);
  const pct = (c: number[]) => `${(rate(c) * 100).toFixed(2)}% (${c[1]}/${c[0]})`;
  console.log(`SQLi TPR ${pct(count.sqli)}  FPR on norm ${pct(count.normSqli)}`);
  console.log(`XSS  TPR ${pct(count.xss)}  FPR on norm ${pct(count.normXss)}`);
  if (falsePositives.length) console.log('false positives:', falsePositives);

  assert.ok((count.sqli[0] as number) > 1000 && (count.normSqli[0] as number) > 1000, 'corpus too small');
  // Floors this detector reaches (99.9% / 89% / 0 false positives at the time of writing).
  assert.ok(rate(count.sqli) >= 0.99, `SQLi TPR ${pct(count.sqli)}`);
  assert.ok(rate(count.xss) >= 0.85, `XSS TPR ${pct(count.xss)}`);
  assert.ok(rate(count.normSqli) < 0.001, `SQLi FPR ${pct(count.normSqli)}`);
  assert.ok(rate(count.normXss) < 0.001, `XSS FPR ${pct(count.normXss)}`);
});
