import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeOperator, RecordingContext } from './operator-test-kit.js';
import { OperatorError } from './registry.js';

const FILES = {
  'shells.data': '# shells\n/bin/sh\n\n  # indented comment\nnc -e\r\npowershell\n   \n',
  'more.data': 'Wget\n',
  'empty.data': '# nothing here\n\n',
};

test('@pmFromFile reads one phrase per line, skipping comments and blank lines', () => {
  const cases: [string, string, boolean][] = [
    ['shells.data', 'x;/BIN/SH -c id', true],
    ['shells.data', 'nc -e /bin/bash', true], // the CR of a CRLF line is not part of the phrase
    ['shells.data', 'PowerShell.exe', true],
    ['shells.data', '# shells', false], // comment lines are not phrases
    ['shells.data', 'indented comment', false],
    ['shells.data', '   ', false], // blank lines are not phrases
    ['shells.data more.data', 'wget http://x', true], // several files
    ['more.data', '/bin/sh', false],
    ['empty.data', 'anything', false],
  ];
  for (const [param, value, want] of cases) {
    assert.equal(makeOperator('pmFromFile', param, FILES).evaluate(new RecordingContext(), value), want, `${param} / ${value}`);
  }
});

test('@pmf is an alias and captures the phrase in TX:0', () => {
  const ctx = new RecordingContext(true);
  assert.equal(makeOperator('pmf', 'more.data', FILES).evaluate(ctx, 'curl; WGET'), true);
  assert.equal(ctx.captures.get(0), 'Wget');
});

test('@pmFromFile load errors are OperatorErrors', () => {
  for (const param of ['missing.data', '', 'https://example.com/list.data']) {
    assert.throws(() => makeOperator('pmFromFile', param, FILES), OperatorError, param);
  }
});
