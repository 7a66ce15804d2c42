import assert from 'node:assert/strict';
import { test } from 'node:test';
import './time.js';
import { format, type Value } from '../value.js';
import { getBuiltin } from './registry.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext(1_700_000_000_123_456_789n);

const call = (name: string, ...args: Value[]) => callBuiltin(name, args, ctx);

// 2023-11-14T22:13:20.123456768Z, exactly representable as a double.
const T = Number(1_700_000_000_123_456_768n);

test('time.now_ns is the evaluation time', () => {
  assert.equal(call('time.now_ns'), Number(ctx.nowNs));
  assert.equal(getBuiltin('time.now_ns')?.nondeterministic, true);
});

test('time.parse_ns', () => {
  const cases: [string, string, number][] = [
    ['2006-01-02T15:04:05Z07:00', '2017-06-02T19:00:00-07:00', 1496455200000000000],
    ['2006-01-02T15:04:05Z07:00', '1677-09-21T00:12:43.145224192-00:00', -Number(9223372036854775808n)],
    ['2006-01-02T15:04:05Z07:00', '2262-04-11T23:47:16.854775807-00:00', Number(9223372036854775807n)],
    ["01/02 03:04:05PM '06 -0700", "06/02 07:00:00PM '17 -0700", 1496455200000000000],
    ['02 Jan 06 15:04 -0700', '02 Jun 17 19:00 -0700', 1496455200000000000],
    ['RFC822Z', '02 Jun 17 19:00 -0700', 1496455200000000000],
    ['RFC3339', '2017-06-03T02:00:00Z', 1496455200000000000],
    ['RFC3339', '2017-06-03T02:00:00.5Z', Number(1496455200500000000n)],
    ['RFC3339Nano', '2017-06-03T02:00:00.000000001Z', Number(1496455200000000001n)],
    ['RFC1123', 'Fri, 02 Jun 2017 19:00:00 UTC', 1496430000000000000],
    ['RFC1123', 'Fri, 02 Jun 2017 19:00:00 GMT+2', 1496430000000000000 - 7200e9],
    ['ANSIC', 'Fri Jun  2 19:00:00 2017', 1496430000000000000],
    ['Monday, January 2, 2006 3:04pm', 'friday, june 2, 2017 7:00pm', 1496430000000000000],
    ['2006-01-02 15:04:05.000', '2017-06-02 19:00:00.250', 1496430000250000000],
    ['2006-002', '2020-060', 1582934400000000000],
    ['2006-01-02', '1970-01-01', 0],
  ];
  for (const [layout, value, want] of cases) assert.equal(call('time.parse_ns', layout, value), want, `${layout} | ${value}`);
});

test('time.parse_ns errors carry Go messages', () => {
  const cases: [string, string, string][] = [
    ['2006-01-02T15:04:05Z07:00', '1677-09-21T00:12:43.145224191-00:00', 'time.parse_ns: time outside of valid range'],
    ['2006-01-02T15:04:05Z07:00', '2262-04-11T23:47:16.854775808-00:00', 'time.parse_ns: time outside of valid range'],
    ['2006-01-02', '2021-02-29', 'time.parse_ns: parsing time "2021-02-29": day out of range'],
    ['2006-01-02', '2020-13-01', 'time.parse_ns: parsing time "2020-13-01": month out of range'],
    ['2006-01-02', '2020-1-01', 'time.parse_ns: parsing time "2020-1-01" as "2006-01-02": cannot parse "1-01" as "01"'],
    ['2006-01-02', '2020-01-01x', 'time.parse_ns: parsing time "2020-01-01x": extra text: "x"'],
    ['15:04', '25:00', 'time.parse_ns: parsing time "25:00": hour out of range'],
    ['2006-01-02', 'x', 'time.parse_ns: parsing time "x" as "2006-01-02": cannot parse "x" as "2006"'],
  ];
  for (const [layout, value, message] of cases) {
    assert.throws(() => call('time.parse_ns', layout, value), { code: 'eval_builtin_error', message }, value);
  }
  assert.throws(() => call('time.parse_ns', 1, 'x'), {
    code: 'eval_type_error',
    message: 'time.parse_ns: operand 1 must be string but got number',
  });
});

test('time.parse_rfc3339_ns', () => {
  const cases: [string, number][] = [
    ['1677-09-21T00:12:43.145224192-00:00', -Number(9223372036854775808n)],
    ['1970-01-01T00:00:00-00:00', 0],
    ['2017-06-02T19:00:00-07:00', 1496455200000000000],
    ['2262-04-11T23:47:16.854775807-00:00', Number(9223372036854775807n)],
  ];
  for (const [s, want] of cases) assert.equal(call('time.parse_rfc3339_ns', s), want);
  assert.throws(() => call('time.parse_rfc3339_ns', '2262-04-11T23:47:16.854775808-00:00'), {
    message: 'time.parse_rfc3339_ns: time outside of valid range',
  });
  assert.throws(() => call('time.parse_rfc3339_ns', '2017-06-02'), { message: /cannot parse "" as "T"/ });
});

test('time.parse_duration_ns', () => {
  const cases: [string, number][] = [
    ['0', 0],
    ['1h', 3_600_000_000_000],
    ['-1.5h', -5_400_000_000_000],
    ['2h45m', 9_900_000_000_000],
    ['300ms', 300_000_000],
    ['1µs', 1000],
    ['1μs', 1000],
    ['1us', 1000],
    ['1ns', 1],
    ['.5s', 500_000_000],
    ['1.s', 1_000_000_000],
    ['+2m3.5s', 123_500_000_000],
    ['-9223372036854775808ns', -Number(9223372036854775808n)],
  ];
  for (const [s, want] of cases) assert.equal(call('time.parse_duration_ns', s), want, s);
  const errors: [string, string][] = [
    ['', 'time: invalid duration ""'],
    ['x', 'time: invalid duration "x"'],
    ['1', 'time: missing unit in duration "1"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['.s', 'time: invalid duration ".s"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['1ü', 'time: unknown unit "\\xc3\\xbc" in duration "1\\xc3\\xbc"'],
  ];
  for (const [s, message] of errors) {
    assert.throws(() => call('time.parse_duration_ns', s), {
      code: 'eval_builtin_error',
      message: `time.parse_duration_ns: ${message}`,
    });
  }
});

test('time.date, time.clock, time.weekday', () => {
  const cases: [Value, number[], number[], string][] = [
    [1517814000 * 1e9, [2018, 2, 5], [7, 0, 0], 'Monday'],
    [[1517814000 * 1e9, 'America/Los_Angeles'], [2018, 2, 4], [23, 0, 0], 'Sunday'],
    [1582977600 * 1e9, [2020, 2, 29], [12, 0, 0], 'Saturday'],
    [[T, 'Asia/Kolkata'], [2023, 11, 15], [3, 43, 20], 'Wednesday'],
    [[T, ''], [2023, 11, 14], [22, 13, 20], 'Tuesday'],
    [[T, 'UTC'], [2023, 11, 14], [22, 13, 20], 'Tuesday'],
    [-1, [1969, 12, 31], [23, 59, 59], 'Wednesday'],
    [-Number(9223372036854775808n), [1677, 9, 21], [0, 12, 43], 'Tuesday'],
    [Number(9223372036854775807n), [2262, 4, 11], [23, 47, 16], 'Friday'],
  ];
  for (const [t, date, clock, weekday] of cases) {
    assert.deepEqual(call('time.date', t), date, format(t));
    assert.deepEqual(call('time.clock', t), clock, format(t));
    assert.equal(call('time.weekday', t), weekday, format(t));
  }
  for (const name of ['time.date', 'time.clock', 'time.weekday']) {
    assert.throws(() => call(name, 1582977600 * 1e12), { code: 'eval_builtin_error', message: `${name}: timestamp too big` });
    assert.throws(() => call(name, 1.5), { message: `${name}: timestamp too big` });
    assert.throws(() => call(name, [0, 'Mars/Olympus']), { message: `${name}: unknown time zone Mars/Olympus` });
    assert.throws(() => call(name, 'x'), {
      code: 'eval_type_error',
      message: `${name}: operand 1 must be either number (ns) or [number (ns), string (tz)] but got string`,
    });
  }
});

test('time.format', () => {
  const cases: [Value, string][] = [
    [T, '2023-11-14T22:13:20.123456768Z'],
    [0, '1970-01-01T00:00:00Z'],
    [[T, 'Europe/Berlin'], '2023-11-14T23:13:20.123456768+01:00'],
    [[T, 'Europe/Berlin', 'Mon Jan _2 15:04:05 MST 2006'], 'Tue Nov 14 23:13:20 CET 2023'],
    [[T, 'America/Los_Angeles', 'RFC1123'], 'Tue, 14 Nov 2023 14:13:20 PST'],
    [[T, 'America/New_York', 'RFC822Z'], '14 Nov 23 17:13 -0500'],
    [[T, 'Asia/Kolkata', '2006-01-02T15:04:05-07:00:00 MST'], '2023-11-15T03:43:20+05:30:00 IST'],
    [[T, 'UTC', '3:04PM .000 .999 ,9 __2 002 Z0700 -07'], '10:13PM .123 .123 ,1 318 318 Z +00'],
    [[Number(1496455200500000000n), 'UTC', '05.999999999 05.000000'], '00.5 00.500000'],
    [[T, 'UTC', 'Monday January 2 06 01 1 pm'], 'Tuesday November 14 23 11 11 pm'],
  ];
  for (const [t, want] of cases) assert.equal(call('time.format', t), want, format(t));
});

test('time.add_date follows Go normalisation', () => {
  const p = (s: string) => call('time.parse_rfc3339_ns', s) as number;
  const cases: [number, number, number, number, string][] = [
    [p('2020-01-31T00:00:00Z'), 0, 1, 0, '2020-03-02T00:00:00Z'],
    [p('2021-01-31T00:00:00Z'), 0, 1, 0, '2021-03-03T00:00:00Z'],
    [p('2020-02-29T12:00:00Z'), 1, 0, 0, '2021-03-01T12:00:00Z'],
    [p('2020-03-01T00:00:00Z'), 0, 0, -1, '2020-02-29T00:00:00Z'],
    [p('2020-01-15T00:00:00Z'), 0, -13, 0, '2018-12-15T00:00:00Z'],
  ];
  for (const [ns, y, m, d, want] of cases) assert.equal(call('time.format', call('time.add_date', ns, y, m, d) as number), want);
  assert.equal(call('time.add_date', Number(1585852421593912000n), 3, 9, 12), Number(1705257221593912000n));
  assert.equal(call('time.add_date', Number(1585852421593912000n), -1, -1, -1), Number(1551465221593912000n));
  assert.throws(() => call('time.add_date', 0, 2262, 1, 1), { message: 'time.add_date: time outside of valid range' });
  assert.throws(() => call('time.add_date', -Number(9223372036854775808n), 0, 0, -1), {
    message: 'time.add_date: time outside of valid range',
  });
  assert.throws(() => call('time.add_date', 0, 1.5, 0, 0), {
    code: 'eval_type_error',
    message: /operand 2 must be integer number/,
  });
});

test('time.diff', () => {
  const p = (s: string) => call('time.parse_ns', '2006-01-02', s) as number;
  const cases: [Value, Value, number[]][] = [
    [p('2020-02-02'), p('2020-03-01'), [0, 0, 28, 0, 0, 0]],
    [p('2021-02-02'), p('2021-03-01'), [0, 0, 27, 0, 0, 0]],
    [p('2004-02-29'), p('2005-03-01'), [1, 0, 1, 0, 0, 0]],
    [p('2005-03-01'), p('2004-02-29'), [1, 0, 1, 0, 0, 0]],
    [T + 61e9, T, [0, 0, 0, 0, 1, 1]],
    [
      [T + 60e9, 'UTC'],
      [T, 'Asia/Shanghai'],
      [0, 0, 0, 0, 1, 0],
    ],
    [p('2019-01-31'), p('2019-03-01'), [0, 1, 1, 0, 0, 0]],
  ];
  for (const [a, b, want] of cases) assert.deepEqual(call('time.diff', a, b), want, `${format(a)} ${format(b)}`);
});
