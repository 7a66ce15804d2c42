import assert from 'node:assert/strict';
import { test } from 'node:test';
import { annotationsObject } from './annotations.js';
import { RegoErrors } from './errors.js';
import { parseModule } from './parser.js';

function meta(yaml: string[], target = 'p := 1') {
  return parseModule(['package t', '', '# METADATA', ...yaml.map((l) => `# ${l}`), target].join('\n'));
}

test('annotationsObject: normalizes authors, related resources and schemas as OPA presents them', () => {
  const m = meta([
    'title: T',
    'description: D',
    'authors:',
    '- Jane Doe <jane@example.com>',
    '- name: Bob',
    '- email: x@example.com',
    'related_resources:',
    '- https://example.com',
    '- ref: https://example.com/b',
    '  description: more',
    'organizations: [acme]',
    'schemas:',
    '- input: schema.input',
    '- input.x: {type: string}',
    'custom:',
    '  severity: high',
  ]);
  assert.deepEqual(annotationsObject(m.rules[0]!.annotations!), {
    scope: 'rule',
    title: 'T',
    description: 'D',
    organizations: ['acme'],
    related_resources: [{ ref: 'https://example.com' }, { ref: 'https://example.com/b', description: 'more' }],
    authors: [{ name: 'Jane Doe', email: 'jane@example.com' }, { name: 'Bob' }, { email: 'x@example.com' }],
    schemas: [
      { path: ['input'], schema: ['schema', 'input'] },
      { path: ['input', 'x'], definition: { type: 'string' } },
    ],
    custom: { severity: 'high' },
  });
});

test('annotations: a block must be directly followed by consecutive column-1 comment lines', () => {
  const m = parseModule('package t\n# METADATA\n# title: A\n\n# title: not part of it\np := 1');
  assert.deepEqual(m.rules[0]!.annotations!.fields, { title: 'A' });
});

test('annotations: subpackages scope on a package, document scope on a rule', () => {
  const m = parseModule('# METADATA\n# scope: subpackages\npackage a.b\n\n# METADATA\n# scope: document\n# title: X\np := 1');
  assert.deepEqual(
    m.annotations.map((a) => a.scope),
    ['subpackages', 'document'],
  );
  assert.equal(m.rules[0]!.annotations!.scope, 'document');
});

const BAD: [string[], string, string?][] = [
  [['title: [unclosed'], '^yaml: '],
  [['- a list'], 'expected a mapping'],
  [['scope: rule'], "annotation scope 'rule' must be applied to rule \\(have import\\)", 'import data.x'],
  [['related_resources:', '- ""'], 'ref URL may not be empty string'],
  [['related_resources:', '- description: x'], "'ref' value required in object"],
  [['authors:', '- {}'], "'name' and/or 'email' values required in object"],
  [['schemas:', '- input: 1'], 'invalid schema declaration for path "input"'],
  [['schemas:', '- input: other.x'], 'invalid schema reference'],
  [['title: a', 'title: b'], '^yaml: '],
];

for (const [yaml, msg, target] of BAD) {
  test(`annotations error: ${yaml.join(' / ')}`, () => {
    assert.throws(
      () => meta(yaml, target),
      (e: unknown) => {
        assert.ok(e instanceof RegoErrors);
        assert.equal(e.errors[0]!.code, 'rego_parse_error');
        assert.match(e.errors[0]!.message, new RegExp(msg));
        assert.ok(e.errors[0]!.location);
        return true;
      },
    );
  });
}
