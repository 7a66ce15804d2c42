import './sql-hex-decode.js';
import { type Case, tableTest } from './test-table.js';

const cases: Case[] = [
  ['empty', '', ''],
  ['nothing to decode', 'TestCase', 'TestCase'],
  ['hex literal', '0x414243', 'ABC'],
  ['upper X and mixed digits', '0X6a6B', 'jk'],
  ['inside a query', 'SELECT 0x73656c656374 FROM t', 'SELECT select FROM t'],
  ['odd last digit kept', '0x41424', 'AB4'],
  ['needs a full pair', '0x4 0x', '0x4 0x'],
  ['invalid digits', '0xZZ', '0xZZ'],
  ['stops at a non-hex char', '0x4142G43', 'ABG43'],
  ['two literals', '0x41,0x42', 'A,B'],
  ['zero not followed by x', '100x', '100x'],
  ['decodes to NUL and high bytes', '0x00ff', '\0\xff'],
  ['digit before the zero', '10x41', '1A'],
];

tableTest('sqlHexDecode', cases);
