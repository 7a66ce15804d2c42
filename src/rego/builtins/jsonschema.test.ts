import assert from 'node:assert/strict';
import { test } from 'node:test';
import './jsonschema.js';
import { format, fromJSON, type Value } from '../value.js';
import { callBuiltin, testContext } from './testing.js';

const ctx = testContext();

const call = (name: string, ...args: Value[]) => callBuiltin(name, args, ctx);

const J = fromJSON;
const idSchema = J({ properties: { id: { type: 'integer' } }, required: ['id'] });

/** The [type, field, desc] of each error json.match_schema reports, checking the error text too. */
function errors(doc: unknown, schema: unknown): [string, string, string][] {
  // Scalar documents go in as JSON text (a string operand is parsed as JSON).
  const operand = (x: unknown) => (typeof x === 'object' && x !== null ? J(x) : JSON.stringify(x));
  const res = call('json.match_schema', operand(doc), operand(schema)) as Value[];
  const list = res[1] as Value[];
  assert.equal(res[0], list.length === 0);
  return list.map((e) => {
    const o = (e as ReturnType<typeof J> & { getStr(k: string): Value }).getStr.bind(e);
    assert.equal(o('error'), `${o('field')}: ${o('desc')}`);
    return [o('type') as string, o('field') as string, o('desc') as string];
  });
}

test('json.match_schema results', () => {
  assert.equal(format(call('json.match_schema', J({ id: 5 }), idSchema) as Value), '[true, []]');
  assert.equal(format(call('json.match_schema', '{"id": 5}', idSchema) as Value), '[true, []]');
  assert.equal(
    format(call('json.match_schema', J({ id: 5 }), '{"properties": {"id": {"type": "integer"}}, "required": ["id"]}') as Value),
    '[true, []]',
  );
  assert.equal(
    format(call('json.match_schema', J({ id: 'foo' }), idSchema) as Value),
    '[false, [{"desc": "Invalid type. Expected: integer, given: string", "error": "id: Invalid type. Expected: integer, given: string", "field": "id", "type": "invalid_type"}]]',
  );
});

test('json.match_schema keyword errors', () => {
  const cases: [unknown, unknown, [string, string, string][]][] = [
    [{}, { required: ['id'] }, [['required', '(root)', 'id is required']]],
    [1.5, { type: 'integer' }, [['invalid_type', '(root)', 'Invalid type. Expected: integer, given: number']]],
    [null, { type: ['string', 'number'] }, [['invalid_type', '(root)', 'Invalid type. Expected: [string,number], given: null']]],
    [1, { type: 'number' }, []],
    [
      'ab',
      { minLength: 3, pattern: '^x' },
      [
        ['string_gte', '(root)', 'String length must be greater than or equal to 3'],
        ['pattern', '(root)', "Does not match pattern '^x'"],
      ],
    ],
    ['abc', { maxLength: 1 }, [['string_lte', '(root)', 'String length must be less than or equal to 1']]],
    ['😀😀', { maxLength: 2 }, []],
    [0.3, { multipleOf: 0.1 }, []],
    [0.35, { multipleOf: 0.1 }, [['multiple_of', '(root)', 'Must be a multiple of 0.1']]],
    [
      5,
      { minimum: 1000000, maximum: 2 },
      [
        ['number_lte', '(root)', 'Must be less than or equal to 2'],
        ['number_gte', '(root)', 'Must be greater than or equal to 1e+06'],
      ],
    ],
    [2, { minimum: 2, exclusiveMinimum: true }, [['number_gt', '(root)', 'Must be greater than 2']]],
    [2, { exclusiveMaximum: 2 }, [['number_lt', '(root)', 'Must be less than 2']]],
    [
      { a: 'x' },
      { properties: { a: { enum: ['y', 1, { k: '<' }] } } },
      [['enum', 'a', 'a must be one of the following: "y", 1, {"k":"\\u003c"}']],
    ],
    [{ a: [1] }, { properties: { a: { const: [1, 2] } } }, [['const', 'a', 'a does not match: [1,2]']]],
    [
      { a: 1, z: 2 },
      { properties: { a: {} }, additionalProperties: false },
      [['additional_property_not_allowed', '(root)', 'Additional property z is not allowed']],
    ],
    [
      { a: 1, b: 'x' },
      { patternProperties: { '^b$': { type: 'number' } }, additionalProperties: { type: 'string' } },
      [
        ['invalid_type', 'a', 'Invalid type. Expected: string, given: integer'],
        ['invalid_type', 'b', 'Invalid type. Expected: number, given: string'],
      ],
    ],
    [
      [1, 'x', 1],
      { items: { type: 'number' }, uniqueItems: true, minItems: 4 },
      [
        ['invalid_type', '1', 'Invalid type. Expected: number, given: string'],
        ['array_min_items', '(root)', 'Array must have at least 4 items'],
        ['unique', '(root)', 'array items[0,2] must be unique'],
      ],
    ],
    [
      [1, 2, 3],
      { items: [{}, {}], additionalItems: false, maxItems: 2 },
      [
        ['array_no_additional_items', '(root)', 'No additional items allowed on array'],
        ['array_max_items', '(root)', 'Array must have at most 2 items'],
      ],
    ],
    [
      ['a'],
      { contains: { type: 'number' } },
      [
        ['contains', '(root)', 'At least one of the items must match'],
        ['invalid_type', '0', 'Invalid type. Expected: number, given: string'],
      ],
    ],
    [
      true,
      { anyOf: [{ type: 'string' }, { type: 'number' }] },
      [
        ['number_any_of', '(root)', 'Must validate at least one schema (anyOf)'],
        ['invalid_type', '(root)', 'Invalid type. Expected: string, given: boolean'],
      ],
    ],
    [
      1,
      { oneOf: [{ type: 'number' }, { type: 'integer' }] },
      [['number_one_of', '(root)', 'Must validate one and only one schema (oneOf)']],
    ],
    [
      1,
      { allOf: [{ type: 'number' }, { minimum: 2 }] },
      [
        ['number_gte', '(root)', 'Must be greater than or equal to 2'],
        ['number_all_of', '(root)', 'Must validate all the schemas (allOf)'],
      ],
    ],
    [1, { not: { type: 'number' } }, [['number_not', '(root)', 'Must not validate the schema (not)']]],
    [{ a: 1 }, { dependencies: { a: ['b'] } }, [['missing_dependency', '(root)', 'Has a dependency on b']]],
    [
      { a: 1 },
      JSON.parse('{"if": {"required": ["a"]}, "then": {"required": ["b"]}}'),
      [
        ['condition_then', '(root)', 'Must validate "then" as "if" was valid'],
        ['required', '(root)', 'b is required'],
      ],
    ],
    [
      {},
      { if: { required: ['a'] }, else: { required: ['c'] } },
      [
        ['condition_else', '(root)', 'Must validate "else" as "if" was not valid'],
        ['required', '(root)', 'c is required'],
      ],
    ],
    [
      { ab: 1 },
      { propertyNames: { maxLength: 1 } },
      [
        ['invalid_property_name', '(root)', 'Property name of "ab" does not match'],
        ['string_lte', '(root)', 'String length must be less than or equal to 1'],
      ],
    ],
    [{ a: 1 }, { minProperties: 2 }, [['array_min_properties', '(root)', 'Must have at least 2 properties']]],
    [1, false, [['false', '(root)', 'False always fails validation']]],
    [{ n: { n: {} } }, { properties: { n: { $ref: '#' } }, required: ['n'] }, [['required', 'n.n', 'n is required']]],
    [
      { i: -1 },
      { properties: { i: { $ref: '#/definitions/pos' } }, definitions: { pos: { minimum: 0 } } },
      [['number_gte', 'i', 'Must be greater than or equal to 0']],
    ],
  ];
  for (const [doc, schema, want] of cases) {
    assert.deepEqual(errors(doc, schema), want, `${JSON.stringify(doc)} ${JSON.stringify(schema)}`);
  }
});

test('json.match_schema formats', () => {
  const cases: [string, string, boolean][] = [
    ['date-time', '2020-01-01T00:00:00Z', true],
    ['date-time', '2020-01-01T00:00:00', false],
    ['date', '2020-02-30', false],
    ['time', '10:00:00+01:00', true],
    ['email', 'Jo <jo@example.com>', true],
    ['email', 'not an email', false],
    ['ipv4', '10.0.0.1', true],
    ['ipv4', '::1', false],
    ['ipv6', '::1', true],
    ['hostname', 'example.com', true],
    ['hostname', '-bad.com', false],
    ['uri', 'https://example.com/a?b#c', true],
    ['uri', '/relative', false],
    ['uri-reference', '/relative', true],
    ['uuid', '123e4567-e89b-12d3-a456-426614174000', true],
    ['regex', '(', false],
    ['json-pointer', '/a/~1b', true],
    ['json-pointer', 'a', false],
    ['made-up', 'anything', true],
  ];
  for (const [fmt, value, ok] of cases) {
    const want: [string, string, string][] = ok ? [] : [['format', '(root)', `Does not match format '${fmt}'`]];
    assert.deepEqual(errors(value, { format: fmt }), want, `${fmt} ${value}`);
  }
});

test('schema errors', () => {
  const bad: [unknown, string][] = [
    [
      { properties: { id: { type: 'unknown' } } },
      'has a primitive type that is NOT VALID -- given: /unknown/ Expected valid values are:[array boolean integer number null object string]',
    ],
    [{ type: ['string', 'string'] }, 'string type is duplicated'],
    [{ type: 1 }, 'Invalid type. Expected: type, given: string/array of strings'],
    [{ properties: [] }, 'properties must be of type object'],
    [{ minLength: -1 }, 'minLength must be greater than or equal to 0'],
    [{ minLength: 1.5 }, 'minLength must be of an integer'],
    [{ minLength: 2, maxLength: 1 }, 'minLength cannot be greater than maxLength'],
    [{ multipleOf: 0 }, 'multipleOf must be strictly greater than 0'],
    [{ minimum: 'x' }, 'minimum must be of a number'],
    [{ exclusiveMinimum: true }, 'exclusiveMinimum cannot be used without minimum'],
    [{ required: ['a', 'a'] }, 'required items must be unique'],
    [{ minProperties: 2, maxProperties: 0 }, 'minProperties cannot be greater than maxProperties'],
    [{ required: 'a' }, 'required must be of an array'],
    [{ enum: [1, 1] }, 'enum items must be unique'],
    [{ pattern: '(?=x)' }, 'pattern must be a valid regex'],
    [{ patternProperties: { '(': {} } }, "Invalid regex pattern '('"],
    [{ $ref: '#/definitions/missing' }, "Object has no key 'definitions'"],
    [{ items: 1 }, 'Invalid type. Expected: valid schema/array of schemas, given: items'],
    [{ $schema: 'http://json-schema.org/draft-04/schema#', not: true }, 'Expected: valid schema, given: Invalid JSON'],
    [[1], 'schema is invalid'],
  ];
  for (const [schema, msg] of bad) {
    assert.equal(
      format(call('json.verify_schema', J(schema)) as Value),
      format([false, `jsonschema: ${msg}`]),
      JSON.stringify(schema),
    );
    assert.throws(() => call('json.match_schema', J({}), J(schema)), {
      code: 'eval_builtin_error',
      message: `json.match_schema: ${msg}`,
    });
  }
  assert.equal(format(call('json.verify_schema', '{}') as Value), '[true, null]');
  assert.equal(format(call('json.verify_schema', J({ properties: { id: { type: 'integer' } } })) as Value), '[true, null]');
  assert.equal(format(call('json.verify_schema', '{ "a": "') as Value), '[false, "jsonschema: invalid JSON string"]');
  assert.equal(format(call('json.verify_schema', 5) as Value), '[false, "jsonschema: wrong type, expected string or object"]');
  assert.throws(() => call('json.match_schema', '{ "a": "', '{}'), { message: 'json.match_schema: invalid JSON string' });
  assert.throws(() => call('json.match_schema', 5, '{}'), {
    message: 'json.match_schema: wrong type, expected string or object',
  });
});

test('patterns are RE2; self-referencing schemas end in an error, not a crash', () => {
  const patterns: [string, string, boolean][] = [
    ['a\\-b', 'a-b', true],
    ['^\\pL+$', 'héllo', true],
    ['^\\pL+$', 'h3llo', false],
    ['(?i)^abc$', 'ABC', true],
    ['^(?P<x>a)b\\z', 'ab', true],
  ];
  for (const [pattern, value, ok] of patterns) {
    assert.deepEqual(
      errors(value, { pattern }),
      ok ? [] : [['pattern', '(root)', `Does not match pattern '${pattern}'`]],
      pattern,
    );
  }
  for (const schema of ['{"$ref": "#"}', '{"allOf": [{"anyOf": [{"$ref": "#"}]}]}']) {
    assert.throws(() => call('json.match_schema', '{}', schema), {
      code: 'eval_builtin_error',
      message: 'json.match_schema: schema recursion too deep',
    });
  }
});
