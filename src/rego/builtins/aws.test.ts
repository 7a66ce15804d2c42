import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuiltinError } from '../errors.js';
import { equal, format, fromJSON, RObject, RSet, type Value } from '../value.js';
import './aws.js';
import { type BuiltinContext, getBuiltin } from './registry.js';

const NAME = 'providers.aws.sign_req';
const T = 1451311705000000000; // 2015-12-28T14:08:25Z
const KEYS = { aws_access_key: 'MYAWSACCESSKEYGOESHERE', aws_secret_access_key: 'MYAWSSECRETACCESSKEYGOESHERE' };
const S3 = { ...KEYS, aws_service: 's3', aws_region: 'us-east-1' };
const EMPTY_SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const CRED = 'AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request';

function sign(req: Value, cfg: Value, t: Value = T): Value | undefined {
  const def = getBuiltin(NAME);
  assert.ok(def);
  return def.fn([req, cfg, t], {} as BuiltinContext);
}

function signErr(req: Value, cfg: Value, t: Value = T): BuiltinError {
  try {
    sign(req, cfg, t);
  } catch (e) {
    assert.ok(e instanceof BuiltinError, String(e));
    return e;
  }
  assert.fail('sign_req did not fail');
}

/** A body with a set, as Rego writes {"example": {1, 2, 3, 4}}. */
const setBody = (): RObject => new RObject().set('example', RSet.from([4, 3, 2, 1]));

test('providers.aws.sign_req signs like OPA (SigV4 reference values)', () => {
  const cases: { note: string; req: Value; cfg: object; headers: Record<string, string> }[] = [
    {
      note: 'no body',
      req: fromJSON({ method: 'get', url: 'http://example.com' }),
      cfg: S3,
      headers: {
        Authorization: `${CRED},SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=0047a7016c81e5c7f29cd522f97e911e04fc472fced0aee7916cbc287ad6c8e3`,
        host: 'example.com',
        'x-amz-content-sha256': EMPTY_SHA,
        'x-amz-date': '20151228T140825Z',
      },
    },
    {
      note: 'session token',
      req: fromJSON({ method: 'get', url: 'http://example.com' }),
      cfg: { ...S3, aws_session_token: 'MYAWSSECURITYTOKENGOESHERE' },
      headers: {
        Authorization: `${CRED},SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,Signature=23c31bda8a74630c0a94f6b82a3511e7e74728df98e6f54ed0840488dbbdc8d1`,
        host: 'example.com',
        'x-amz-content-sha256': EMPTY_SHA,
        'x-amz-date': '20151228T140825Z',
        'x-amz-security-token': 'MYAWSSECURITYTOKENGOESHERE',
      },
    },
    {
      note: 'extra header is signed and kept',
      req: fromJSON({ method: 'get', url: 'https://example.com', headers: { foo: 'bar' } }),
      cfg: { ...S3, disable_payload_signing: false },
      headers: {
        Authorization: `${CRED},SignedHeaders=foo;host;x-amz-content-sha256;x-amz-date,Signature=8f1dc7c9b9978356a0d0989fd26a95307f4f8a4aa264d8220647b7097d839952`,
        foo: 'bar',
        host: 'example.com',
        'x-amz-content-sha256': EMPTY_SHA,
        'x-amz-date': '20151228T140825Z',
      },
    },
    {
      note: 'unsigned payload',
      req: new RObject()
        .set('method', 'get')
        .set('url', 'https://example.com')
        .set('headers', fromJSON({ foo: 'bar' }))
        .set('body', setBody()),
      cfg: { ...S3, disable_payload_signing: true },
      headers: {
        Authorization: `${CRED},SignedHeaders=foo;host;x-amz-content-sha256;x-amz-date,Signature=c6e6db654e92172f71e18c714c123711de069ac6fd7df1348e5b28fd05532028`,
        foo: 'bar',
        host: 'example.com',
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
        'x-amz-date': '20151228T140825Z',
      },
    },
    {
      note: 'body is hashed as Go JSON (sets become arrays)',
      req: new RObject().set('method', 'get').set('url', 'http://example.com').set('body', setBody()),
      cfg: S3,
      headers: {
        Authorization: `${CRED},SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=5fb06ab1cfd74c8fcb3af95b8cce696708cf6155d971dac10f254d79799c6e88`,
        host: 'example.com',
        'x-amz-content-sha256': 'bacff6243c850423883052ac3c336fd645994442933408dfd3f9e858e69bda07',
        'x-amz-date': '20151228T140825Z',
      },
    },
    {
      note: 'raw_body wins over body',
      req: new RObject()
        .set('method', 'get')
        .set('url', 'http://example.com')
        .set('body', setBody())
        .set('raw_body', '{"example": {1, 2, 3, 4}}'),
      cfg: S3,
      headers: {
        Authorization: `${CRED},SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=5bf26e169cb8b02330dba39d53932532438fc856c2f10537689a09ed807c7195`,
        host: 'example.com',
        'x-amz-content-sha256': '22906461e2a98a3e780d0fd260e341bed5e544661e97c5936fc7f3af11aaad8b',
        'x-amz-date': '20151228T140825Z',
      },
    },
    {
      note: 'a caller-supplied x-amz-content-sha256 is signed but replaced in the result',
      req: new RObject()
        .set('method', 'get')
        .set('url', 'https://example.com')
        .set('headers', fromJSON({ foo: 'bar', 'x-amz-content-sha256': 'existing-value' }))
        .set('body', setBody()),
      cfg: S3,
      headers: {
        Authorization: `${CRED},SignedHeaders=foo;host;x-amz-content-sha256;x-amz-date,Signature=42bcac7fc6d170e09be72fdf38b62e59361265bc59d5f9156f0d6faf889e98ba`,
        foo: 'bar',
        host: 'example.com',
        'x-amz-content-sha256': 'bacff6243c850423883052ac3c336fd645994442933408dfd3f9e858e69bda07',
        'x-amz-date': '20151228T140825Z',
      },
    },
  ];
  for (const c of cases) {
    const out = sign(c.req, fromJSON(c.cfg));
    assert.ok(out instanceof RObject, c.note);
    assert.ok(equal(out.get('headers') as Value, fromJSON(c.headers)), `${c.note}: ${format(out.get('headers') as Value)}`);
    // Everything else in the request is kept as given.
    for (const [k, v] of (c.req as RObject).entries()) if (k !== 'headers') assert.ok(equal(out.get(k) as Value, v), c.note);
  }
});

test('providers.aws.sign_req: non-S3 services get no payload header; paths and queries are signed', () => {
  const out = sign(
    fromJSON({ method: 'POST', url: 'https://sts.amazonaws.com/a%2Fb c?Action=GetCallerIdentity&Version=2011-06-15' }),
    fromJSON({ ...KEYS, aws_service: 'sts', aws_region: 'us-east-1' }),
  ) as RObject;
  const headers = out.get('headers') as RObject;
  assert.equal(headers.get('x-amz-content-sha256'), undefined);
  assert.equal(headers.get('host'), 'sts.amazonaws.com');
  assert.match(
    headers.get('Authorization') as string,
    /\/us-east-1\/sts\/aws4_request,SignedHeaders=host;x-amz-date,Signature=[0-9a-f]{64}$/,
  );
  // A different query gives a different signature.
  const other = sign(
    fromJSON({ method: 'POST', url: 'https://sts.amazonaws.com/a%2Fb c?Action=Other' }),
    fromJSON({ ...KEYS, aws_service: 'sts', aws_region: 'us-east-1' }),
  ) as RObject;
  assert.notEqual((other.get('headers') as RObject).get('Authorization'), headers.get('Authorization'));
});

test('providers.aws.sign_req errors use OPA messages', () => {
  const req = fromJSON({ method: 'get', url: 'http://example.com' });
  const cases: [Value, Value, Value, string, string][] = [
    [new RObject(), fromJSON(S3), T, 'eval_type_error', 'operand 1 missing required request parameters(s): {"method", "url"}'],
    [
      new RObject().set('method', new RSet()).set('url', new RSet()),
      fromJSON(S3),
      T,
      'eval_type_error',
      'operand 1 invalid values for required request parameters(s): {"method", "url"}',
    ],
    [
      fromJSON({ method: 'get', url: 'http://x', bogus: 1 }),
      fromJSON(S3),
      T,
      'eval_type_error',
      'operand 1 invalid request parameters(s): {"bogus"}',
    ],
    [
      req,
      fromJSON({ example: 'example' }),
      T,
      'eval_type_error',
      'operand 2 missing required AWS config parameters(s): {"aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"}',
    ],
    [
      req,
      fromJSON({ aws_access_key: 1, aws_secret_access_key: 2, aws_session_token: 3, aws_service: 4, aws_region: 5 }),
      T,
      'eval_type_error',
      'operand 2 invalid values for required AWS config parameters(s): {"aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"}',
    ],
    [req, fromJSON(S3), -1e9, 'eval_type_error', 'operand 3 could not convert time_ns value into a unix timestamp'],
    [req, fromJSON(S3), 1.5, 'eval_type_error', 'operand 3 could not convert time_ns value into a unix timestamp'],
    [
      req,
      fromJSON({ ...S3, disable_payload_signing: 'false' }),
      T,
      'eval_type_error',
      "operand 2 invalid value for 'disable_payload_signing' in AWS config",
    ],
    [1, fromJSON(S3), T, 'eval_type_error', 'operand 1 must be object but got number'],
    [req, 'cfg', T, 'eval_type_error', 'operand 1 must be object but got string'],
    [req, fromJSON(S3), 'now', 'eval_type_error', 'operand 1 must be number but got string'],
    [
      fromJSON({ method: 'get', url: 'http://x', headers: 'h' }),
      fromJSON(S3),
      T,
      'eval_type_error',
      'operand 0 must be object but got string',
    ],
    [
      fromJSON({ method: 'get', url: 'http://x/%zz' }),
      fromJSON(S3),
      T,
      'eval_builtin_error',
      'parse "http://x/%zz": invalid URL escape "%zz"',
    ],
  ];
  for (const [r, cfg, t, code, msg] of cases) {
    const e = signErr(r, cfg, t);
    assert.equal(e.message, `${NAME}: ${msg}`);
    assert.equal(e.code, code);
  }
});
