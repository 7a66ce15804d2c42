import './md5.js';
import { type Case, tableTest } from './test-table.js';

// Expected digests are the RFC 1321 test vectors (and two byte-level checks), written as raw bytes.
const hex = (h: string): string => Buffer.from(h, 'hex').toString('latin1');

const cases: Case[] = [
  ['empty', '', hex('d41d8cd98f00b204e9800998ecf8427e')],
  ['a', 'a', hex('0cc175b9c0f1b6a831c399e269772661')],
  ['abc', 'abc', hex('900150983cd24fb0d6963f7d28e17f72')],
  ['message digest', 'message digest', hex('f96b697d7cb7938d525a2f31aaf161d0')],
  ['alphabet', 'abcdefghijklmnopqrstuvwxyz', hex('c3fcd3d76192e4007dfb496cca67e13b')],
  ['alphanumerics', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', hex('d174ab98d277d9f5a5611c2c9f419d9f')],
  ['single NUL byte', '\0', hex('93b885adfe0da089cdf634904fd59f71')],
  ['high byte hashed as one byte', '\xff', hex('00594fd4f42ba43fc1ca0427a0576295')],
];

tableTest('md5', cases);
