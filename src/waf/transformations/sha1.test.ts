import './sha1.js';
import { type Case, tableTest } from './test-table.js';

// Expected digests are the well-known SHA-1 test vectors, written as raw bytes.
const hex = (h: string): string => Buffer.from(h, 'hex').toString('latin1');

const cases: Case[] = [
  ['empty', '', hex('da39a3ee5e6b4b0d3255bfef95601890afd80709')],
  ['abc', 'abc', hex('a9993e364706816aba3e25717850c26c9cd0d89d')],
  [
    'FIPS two-block vector',
    'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
    hex('84983e441c3bd26ebaae4aa1f95129e5e54670f1'),
  ],
  ['quick brown fox', 'The quick brown fox jumps over the lazy dog', hex('2fd4e1c67a2d28fced849ee1bb76e7391b93eb12')],
  ['output is 20 raw bytes, not hex text', 'a', hex('86f7e437faa5a7fce15d1ddcb9eaeaea377667b8')],
  ['single NUL byte', '\0', hex('5ba93c9db0cff93f52b521d7420e43f6eda2784f')],
  ['high byte hashed as one byte', '\xff', hex('85e53271e14006f0265921d02d4d736cdc580b0b')],
  ['latin1 é is one byte, not UTF-8', '\xe9', hex('1599e9fa41ec68c80230491902786bee889f5bcb')],
];

tableTest('sha1', cases);
