import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import { equal, format, fromJSON } from '../value.js';
import { getBuiltin } from './registry.js';
import './uuid.js';
import { callBuiltin, testContext } from './testing.js';

const call = callBuiltin;

const v2 = {
  clocksequence: 12800,
  domain: 'Person',
  id: 1000,
  macvariables: 'local:unicast',
  nodeid: '32-50-96-b3-9f-47',
  time: Number('1693566990121469600'),
  variant: 'RFC4122',
  version: 2,
};

const parses: [string, unknown][] = [
  ['00000000-0000-4000-8000-000000000000', { variant: 'RFC4122', version: 4 }],
  ['{00000000-0000-4000-8000-000000000000}', { variant: 'RFC4122', version: 4 }],
  ['000003e8-48b9-21ee-b200-325096b39f47', v2],
  ['urn:uuid:000003e8-48b9-21ee-b200-325096b39f47', v2],
  ['URN:UUID:000003E8-48B9-21EE-B200-325096B39F47', v2],
  ['38074da4-0b00-388d-9c3c-362de965547a', { variant: 'RFC4122', version: 3 }],
  ['6bea8ef2d3d33cd184e09bab06a52ece', { variant: 'RFC4122', version: 3 }],
  ['886313e1-3b8a-5372-9b90-0c9aee199e5d', { variant: 'RFC4122', version: 5 }],
  // RFC 9562's version-1 example: 2022-02-22T19:22:22Z.
  [
    'c232ab00-9414-11ec-b3c8-9f6bdeced846',
    {
      version: 1,
      variant: 'RFC4122',
      time: 1645557742000000000,
      clocksequence: 13256,
      nodeid: '9f-6b-de-ce-d8-46',
      macvariables: 'local:multicast',
    },
  ],
  ['00000000-0000-0000-c000-000000000000', { variant: 'Microsoft', version: 0 }],
  ['00000000-0000-0000-e000-000000000000', { variant: 'Future', version: 0 }],
  ['00000000-0000-0000-0000-000000000000', { variant: 'Reserved', version: 0 }],
];

test('uuid.parse decodes OPA fields', () => {
  for (const [s, want] of parses) {
    const got = call('uuid.parse', [s]);
    assert.ok(got !== undefined && equal(got, fromJSON(want)), `${s}: ${got === undefined ? 'undefined' : format(got)}`);
  }
});

test('uuid.parse has no result for malformed strings', () => {
  for (const s of [
    '',
    'abc',
    '00000000-0000-4000-8000-00000000000',
    '00000000-0000-4000-8000-00000000000g',
    '00000000x0000-4000-8000-000000000000',
    '(00000000-0000-4000-8000-000000000000)',
    'urn:uuix:000003e8-48b9-21ee-b200-325096b39f47',
    '6bea8ef2d3d33cd184e09bab06a52ecz',
  ]) {
    assert.equal(call('uuid.parse', [s]), undefined, s);
  }
  assert.throws(
    () => call('uuid.parse', [123]),
    (e: unknown) =>
      e instanceof BuiltinError &&
      e.code === 'eval_type_error' &&
      e.message === 'uuid.parse: operand 1 must be string but got number',
  );
});

test('uuid.rfc4122 gives a v4 UUID, stable per key within one query', () => {
  const ctx = testContext();
  const a = call('uuid.rfc4122', ['k'], ctx);
  assert.equal(typeof a, 'string');
  assert.match(a as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(call('uuid.rfc4122', ['k'], ctx), a);
  assert.notEqual(call('uuid.rfc4122', ['other'], ctx), a);
  assert.notEqual(call('uuid.rfc4122', ['k'], testContext()), a);
  const parsed = call('uuid.parse', [a as string]);
  assert.ok(parsed !== undefined && equal(parsed, fromJSON({ variant: 'RFC4122', version: 4 })));
  assert.equal(getBuiltin('uuid.rfc4122')?.nondeterministic, true);
});
