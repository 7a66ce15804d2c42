import assert from 'node:assert/strict';
import { test } from 'node:test';
import { albedo, serializeResponse, serverResponse, sniffContentType } from './backend.js';
import type { ParsedRequest } from './http-parse.js';

const req = (method: string, target: string, body = ''): ParsedRequest => ({
  method,
  target,
  version: 'HTTP/1.1',
  headers: [],
  body: Buffer.from(body, 'utf8'),
  http09: false,
});
const header = (h: [string, string][], name: string) => h.find(([k]) => k.toLowerCase() === name)?.[1];

test('content sniffing follows net/http.DetectContentType', async (t) => {
  const cases: [string, string][] = [
    ['plain words', 'text/plain; charset=utf-8'],
    ['<?php echo 1; ?>', 'text/plain; charset=utf-8'],
    ['  \n<html><body>', 'text/html; charset=utf-8'],
    ['<h1>.:NCC:. Shell v', 'text/html; charset=utf-8'],
    ['<title>Webshell</title>', 'text/html; charset=utf-8'],
    ['<!-- comment -->', 'text/html; charset=utf-8'],
    ['<b>Warning</b>: mysql_fetch_array()', 'text/html; charset=utf-8'],
    ['<html', 'text/plain; charset=utf-8'],
    ['<?xml version="1.0"?><a/>', 'text/xml; charset=utf-8'],
    ['{"a": 1}', 'text/plain; charset=utf-8'],
    ['%PDF-1.4', 'application/pdf'],
    ['\x89PNG\r\n\x1a\nrest', 'image/png'],
    ['\xef\xbb\xbfbom', 'text/plain; charset=utf-8'],
    ['a\x00b', 'application/octet-stream'],
  ];
  for (const [body, type] of cases) await t.test(JSON.stringify(body), () => assert.equal(sniffContentType(body), type));
});

test('albedo: /reflect answers with the specified response', async (t) => {
  await t.test('status, headers and body', () => {
    const r = albedo(req('POST', '/reflect', '{"status": 302, "headers": {"Location": "/x", "X-A": "b"}, "body": "<html>é"}'));
    assert.equal(r.status, 302);
    assert.equal(header(r.headers, 'location'), '/x');
    assert.equal(header(r.headers, 'x-a'), 'b');
    assert.equal(r.body, '<html>\xc3\xa9');
    assert.equal(header(r.headers, 'content-type'), 'text/html; charset=utf-8');
    assert.equal(header(r.headers, 'content-length'), '8');
  });
  await t.test('status 0 / absent means 200; a given Content-Type is not sniffed', () => {
    const r = albedo(req('POST', '/reflect/', '{"headers": {"Content-Type": "application/json"}, "body": "{}"}'));
    assert.equal(r.status, 200);
    assert.equal(header(r.headers, 'content-type'), 'application/json');
  });
  await t.test('encodedBody, and field names in any case (Go json)', () => {
    const r = albedo(
      req('POST', '/reflect?x=1', `{"Status": 201, "ENCODEDBODY": "${Buffer.from('a\x00b', 'latin1').toString('base64')}"}`),
    );
    assert.equal(r.status, 201);
    assert.equal(r.body, 'a\x00b');
    assert.equal(header(r.headers, 'content-type'), 'application/octet-stream');
  });
  await t.test('body wins over encodedBody', () => {
    assert.equal(albedo(req('POST', '/reflect', '{"body": "x", "encodedBody": "eQ=="}')).body, 'x');
  });
  await t.test('invalid JSON is a 400', () => {
    const r = albedo(req('POST', '/reflect', '{"status": '));
    assert.equal(r.status, 400);
    assert.equal(r.body, 'Invalid JSON in request body');
  });
  await t.test('wrong field types are a 400', () =>
    assert.equal(albedo(req('POST', '/reflect', '{"status": "200"}')).status, 400),
  );
  await t.test('a status outside 100..599 is a 400', () => {
    const r = albedo(req('POST', '/reflect', '{"status": 99}'));
    assert.equal(r.status, 400);
    assert.equal(r.body, 'Invalid status code: 99');
    assert.equal(albedo(req('POST', '/reflect', '{"status": 600}')).status, 400);
  });
  await t.test('invalid header names are dropped', () => {
    const r = albedo(req('POST', '/reflect', '{"headers": {"Bad Name": "x", "Good": "y"}}'));
    assert.equal(header(r.headers, 'bad name'), undefined);
    assert.equal(header(r.headers, 'good'), 'y');
  });
});

test('albedo: any other request gets an empty 200', async (t) => {
  for (const [m, target] of [
    ['GET', '/reflect'],
    ['POST', '/post'],
    ['POST', '/reflected'],
    ['GET', '/'],
    ['OPTIONS', '*'],
  ] as const) {
    await t.test(`${m} ${target}`, () => {
      const r = albedo(req(m, target, '{"status": 500}'));
      assert.equal(r.status, 200);
      assert.equal(r.body, '');
      assert.equal(header(r.headers, 'content-type'), undefined);
      assert.equal(header(r.headers, 'content-length'), '0');
    });
  }
});

test('a stage-given response spec replaces the backend logic', () => {
  const r = albedo(req('GET', '/'), { status: 503, headers: [{ name: 'X', value: '1' }], body: 'down' });
  assert.equal(r.status, 503);
  assert.equal(r.body, 'down');
  assert.equal(header(r.headers, 'x'), '1');
});

test('responses serialize as the client reads them', () => {
  const text = serializeResponse({ status: 404, headers: [['A', 'b']], body: 'x' });
  assert.equal(text, 'HTTP/1.1 404 Not Found\r\nA: b\r\n\r\nx');
  assert.match(serializeResponse(serverResponse(400)), /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*<title>400 Bad Request<\/title>/);
});
