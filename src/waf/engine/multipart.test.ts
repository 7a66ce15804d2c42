import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type MultipartFlags, parseBoundary, parseMultipart, strictError } from './multipart.js';

const CT = 'multipart/form-data; boundary=XyZ';
const limits = { fileLimit: 100, partLimit: 1000 };
const crlf = (lines: string[]) => lines.join('\r\n');

const GOOD = crlf([
  '--XyZ',
  'Content-Disposition: form-data; name="a"',
  '',
  'one',
  '--XyZ',
  'Content-Disposition: form-data; name="f"; filename="x.php"',
  'Content-Type: text/plain',
  '',
  'line1\nline2',
  '--XyZ--',
  '',
]);

test('multipart: fields, files and part headers', () => {
  const r = parseMultipart(GOOD, CT, limits);
  assert.equal(r.error, undefined);
  assert.equal(strictError(r), false);
  assert.deepEqual(
    r.parts.map((p) => [p.name, p.filename, p.value]),
    [
      ['a', undefined, 'one'],
      ['f', 'x.php', 'line1\nline2'],
    ],
  );
  assert.deepEqual(r.parts[1]?.headers, [
    'Content-Disposition: form-data; name="f"; filename="x.php"',
    'Content-Type: text/plain',
  ]);
});

test('multipart: boundary parameter checks', async (t) => {
  const cases: [string, string, string | undefined, Partial<MultipartFlags>, boolean][] = [
    ['plain', 'multipart/form-data; boundary=abc', 'abc', {}, false],
    ['quoted', 'multipart/form-data; boundary="abc"', 'abc', { boundaryQuoted: true }, false],
    ['whitespace around =', 'multipart/form-data; boundary = abc', 'abc', { boundaryWhitespace: true }, false],
    ['missing semicolon', 'multipart/form-data boundary=abc', 'abc', { missingSemicolon: true }, false],
    ['no boundary', 'multipart/form-data', undefined, {}, true],
    ['two boundaries', 'multipart/form-data; boundary=a; boundary=b', undefined, {}, true],
    ['invalid characters', 'multipart/form-data; boundary=a<b>', undefined, {}, true],
    ['too long', `multipart/form-data; boundary=${'a'.repeat(71)}`, undefined, {}, true],
  ];
  for (const [what, ct, boundary, flags, isError] of cases) {
    await t.test(what, () => {
      const f = parseMultipart('', 'x', limits).flags; // fresh flag set
      for (const k of Object.keys(f)) (f as unknown as Record<string, boolean>)[k] = false;
      const r = parseBoundary(ct, f);
      assert.equal(r.boundary, boundary);
      assert.equal(r.error !== undefined, isError);
      for (const [k, v] of Object.entries(flags)) assert.equal(f[k as keyof MultipartFlags], v, k);
    });
  }
});

test('multipart: strict-validation flags', async (t) => {
  const part = (extra = '') => `--XyZ\r\nContent-Disposition: form-data; name="a"${extra}\r\n\r\nv\r\n`;
  const cases: [string, string, keyof MultipartFlags | 'error', string][] = [
    ['data before the first boundary', `junk\r\n${part()}--XyZ--\r\n`, 'dataBefore', CT],
    ['data after the final boundary', `${part()}--XyZ--\r\ntrailing`, 'dataAfter', CT],
    ['LF-only framing', '--XyZ\nContent-Disposition: form-data; name="a"\n\nv\n--XyZ--\n', 'lfLine', CT],
    ['header folding', '--XyZ\r\nContent-Disposition: form-data;\r\n name="a"\r\n\r\nv\r\n--XyZ--\r\n', 'headerFolding', CT],
    [
      'folding before any header',
      '--XyZ\r\n x\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--XyZ--\r\n',
      'invalidHeaderFolding',
      CT,
    ],
    ['single-quoted name', "--XyZ\r\nContent-Disposition: form-data; name='a'\r\n\r\nv\r\n--XyZ--\r\n", 'invalidQuoting', CT],
    ['part without Content-Disposition', '--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--\r\n', 'invalidPart', CT],
    ['something like a boundary', `${part()}--XyZjunk\r\n--XyZ--\r\n`, 'unmatchedBoundary', CT],
    ['final boundary missing', part(), 'error', CT],
    ['unknown disposition parameter', `${part('; size=3')}--XyZ--\r\n`, 'error', CT],
    ['no boundary in the body', 'hello', 'error', CT],
    [
      'quoted boundary',
      `--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--XyZ--\r\n`,
      'boundaryQuoted',
      'multipart/form-data; boundary="XyZ"',
    ],
  ];
  for (const [what, body, flag, ct] of cases) {
    await t.test(what, () => {
      const r = parseMultipart(body, ct, limits);
      if (flag === 'error') assert.ok(r.error, 'hard error');
      else assert.equal(r.flags[flag], true, flag);
      // MULTIPART_UNMATCHED_BOUNDARY is reported on its own, not through MULTIPART_STRICT_ERROR.
      assert.equal(strictError(r), flag !== 'unmatchedBoundary', 'strict error');
    });
  }
});

test('multipart: file limit', () => {
  let body = '';
  for (let i = 0; i < 5; i++) body += `--XyZ\r\nContent-Disposition: form-data; name="f${i}"; filename="a${i}"\r\n\r\nx\r\n`;
  body += '--XyZ--\r\n';
  const r = parseMultipart(body, CT, { fileLimit: 3, partLimit: 100 });
  assert.equal(r.parts.length, 3);
  assert.equal(r.droppedFiles, 2);
  assert.equal(r.flags.fileLimitExceeded, true);
});

test('multipart: escaped quotes and empty values, never throws on garbage', () => {
  const body = crlf(['--XyZ', 'Content-Disposition: form-data; name="a\\"b"; filename=""', '', '', '--XyZ--', '']);
  const r = parseMultipart(body, CT, limits);
  assert.equal(r.error, undefined);
  assert.deepEqual(
    r.parts.map((p) => [p.name, p.filename, p.value]),
    [['a"b', '', '']],
  );
  for (const junk of ['--XyZ', '--XyZ\r\n', '--XyZ\r\n\r\n', '\r\n\r\n--XyZ--', '--XyZ--', '\x00\xff--XyZ\n\n\n']) {
    const x = parseMultipart(junk, CT, limits);
    assert.equal(typeof x.flags, 'object');
  }
});
