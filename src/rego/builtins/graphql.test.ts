import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { BuiltinError } from '../errors.js';
import { equal, format, fromJSON, RObject, type Value } from '../value.js';
import './graphql.js';
import { callBuiltin, testContext, thrownBy } from './testing.js';

const ctx = testContext();

const call = (name: string, ...args: Value[]) => callBuiltin(name, args, ctx);

function callErr(name: string, ...args: Value[]): BuiltinError {
  const e = thrownBy(name, () => call(name, ...args));
  assert.ok(e instanceof BuiltinError, `expected BuiltinError, got ${e}`);
  return e;
}

function assertValue(got: Value | undefined, want: unknown): void {
  assert.ok(got !== undefined);
  assert.ok(equal(got, fromJSON(want)), `got ${format(got)}`);
}

const EMPLOYEE_SCHEMA = `
  type Employee {
    id: String!
    salary: Int!
  }
  schema {
    query: Query
  }
  type Query {
    employeeByID(id: String): Employee
  }
`;

test('graphql.parse_query returns the gqlparser AST shape', () => {
  const cases: [string, unknown][] = [
    [
      '{hero {name}}',
      {
        Operations: [
          {
            Name: '',
            Operation: 'query',
            SelectionSet: [{ Alias: 'hero', Name: 'hero', SelectionSet: [{ Alias: 'name', Name: 'name' }] }],
          },
        ],
      },
    ],
    [
      'query Q($ep: [Episode!]! = [A]) { a: hero(episode: $ep, n: 1, f: 2.5, s: "x", b: """ y """, t: true, z: null, o: {k: V}) }',
      {
        Operations: [
          {
            Name: 'Q',
            Operation: 'query',
            VariableDefinitions: [
              {
                DefaultValue: {
                  Children: [{ Name: '', Value: { ExpectedTypeHasDefault: false, Kind: 7, Raw: 'A' } }],
                  ExpectedTypeHasDefault: false,
                  Kind: 8,
                  Raw: '',
                },
                Type: { Elem: { NamedType: 'Episode', NonNull: true }, NamedType: '', NonNull: true },
                Used: false,
                Variable: 'ep',
              },
            ],
            SelectionSet: [
              {
                Alias: 'a',
                Name: 'hero',
                Arguments: [
                  { Name: 'episode', Value: { ExpectedTypeHasDefault: false, Kind: 0, Raw: 'ep' } },
                  { Name: 'n', Value: { ExpectedTypeHasDefault: false, Kind: 1, Raw: '1' } },
                  { Name: 'f', Value: { ExpectedTypeHasDefault: false, Kind: 2, Raw: '2.5' } },
                  { Name: 's', Value: { ExpectedTypeHasDefault: false, Kind: 3, Raw: 'x' } },
                  { Name: 'b', Value: { ExpectedTypeHasDefault: false, Kind: 4, Raw: ' y ' } },
                  { Name: 't', Value: { ExpectedTypeHasDefault: false, Kind: 5, Raw: 'true' } },
                  { Name: 'z', Value: { ExpectedTypeHasDefault: false, Kind: 6, Raw: 'null' } },
                  {
                    Name: 'o',
                    Value: {
                      Children: [{ Name: 'k', Value: { ExpectedTypeHasDefault: false, Kind: 7, Raw: 'V' } }],
                      ExpectedTypeHasDefault: false,
                      Kind: 9,
                      Raw: '',
                    },
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
    [
      'query { ...F ... on T @skip(if: true) { x } } fragment F on T { y }',
      {
        Fragments: [{ Name: 'F', SelectionSet: [{ Alias: 'y', Name: 'y' }], TypeCondition: 'T' }],
        Operations: [
          {
            Name: '',
            Operation: 'query',
            SelectionSet: [
              { Name: 'F' },
              {
                Directives: [
                  {
                    Arguments: [{ Name: 'if', Value: { ExpectedTypeHasDefault: false, Kind: 5, Raw: 'true' } }],
                    Location: '',
                    Name: 'skip',
                  },
                ],
                SelectionSet: [{ Alias: 'x', Name: 'x' }],
                TypeCondition: 'T',
              },
            ],
          },
        ],
      },
    ],
    ['', {}],
    ['# only a comment ਊ\n', {}],
  ];
  for (const [src, want] of cases) assertValue(call('graphql.parse_query', src), want);
});

test('graphql.parse_query reports gqlparser errors with line:column', () => {
  const cases: [string, string][] = [
    ['{', 'Expected Name, found <EOF> in GraphQL string at location 1:2'],
    ['{ field: {} }', 'Expected Name, found { in GraphQL string at location 1:10'],
    ['notanoperation Foo { field }', 'Unexpected Name "notanoperation" in GraphQL string at location 1:1'],
    ['...', 'Unexpected ... in GraphQL string at location 1:1'],
    ['\n  { ...MissingOn }\n  fragment MissingOn Type\n', 'Expected "on", found Name "Type" in GraphQL string at location 3:22'],
    ['query Foo($x: Complex = { a: [ $var ] }) { field }', 'Unexpected $ in GraphQL string at location 1:32'],
    ['{__typename{...}}', 'Expected {, found } in GraphQL string at location 1:16'],
    ['{...{__typename{...{}}}}', 'expected at least one definition, found } in GraphQL string at location 1:21'],
    ['fragment on on on { on }', 'Unexpected Name "on" in GraphQL string at location 1:10'],
    // A string token's column is the one after its opening quote (gqlparser's convention).
    ['"desc" { a }', 'Unexpected String "desc" in GraphQL string at location 1:2'],
    // Lexing problems surface as an Invalid token at the place lexing stopped.
    ['{ a(s: "open) }', 'Unexpected <Invalid> in GraphQL string at location 1:16'],
  ];
  for (const [src, msg] of cases) {
    const e = callErr('graphql.parse_query', src);
    assert.equal(e.message, `graphql.parse_query: ${msg}`);
    assert.equal(e.code, 'eval_builtin_error');
  }
  assert.equal(callErr('graphql.parse_query', 1).message, 'graphql.parse_query: operand 1 must be string but got number');
});

test('graphql.parse_schema returns definitions, extensions, directives and schema entries', () => {
  const src = `
    "Desc"
    type Hello implements & A & B @deprecated { world(flag: Boolean = true): [String!] }
    extend type Hello { more: Int }
    union U = | X | Y
    enum E { ONE, TWO }
    input I { a: Int = 1 }
    scalar S
    directive @d repeatable on FIELD | QUERY
    schema { query: Hello }
    extend schema @d
  `;
  assertValue(call('graphql.parse_schema', src), {
    Definitions: [
      {
        BuiltIn: false,
        Description: 'Desc',
        Directives: [{ Location: '', Name: 'deprecated' }],
        Fields: [
          {
            Arguments: [
              {
                DefaultValue: { ExpectedTypeHasDefault: false, Kind: 5, Raw: 'true' },
                Description: '',
                Name: 'flag',
                Type: { NamedType: 'Boolean', NonNull: false },
              },
            ],
            Description: '',
            Name: 'world',
            Type: { Elem: { NamedType: 'String', NonNull: true }, NamedType: '', NonNull: false },
          },
        ],
        Interfaces: ['A', 'B'],
        Kind: 'OBJECT',
        Name: 'Hello',
      },
      { BuiltIn: false, Description: '', Kind: 'UNION', Name: 'U', Types: ['X', 'Y'] },
      {
        BuiltIn: false,
        Description: '',
        EnumValues: [
          { Description: '', Name: 'ONE' },
          { Description: '', Name: 'TWO' },
        ],
        Kind: 'ENUM',
        Name: 'E',
      },
      {
        BuiltIn: false,
        Description: '',
        Fields: [
          {
            DefaultValue: { ExpectedTypeHasDefault: false, Kind: 1, Raw: '1' },
            Description: '',
            Name: 'a',
            Type: { NamedType: 'Int', NonNull: false },
          },
        ],
        Kind: 'INPUT_OBJECT',
        Name: 'I',
      },
      { BuiltIn: false, Description: '', Kind: 'SCALAR', Name: 'S' },
    ],
    Directives: [{ Description: '', IsRepeatable: true, Locations: ['FIELD', 'QUERY'], Name: 'd' }],
    Extensions: [
      {
        BuiltIn: false,
        Description: '',
        Fields: [{ Description: '', Name: 'more', Type: { NamedType: 'Int', NonNull: false } }],
        Kind: 'OBJECT',
        Name: 'Hello',
      },
    ],
    Schema: [{ Description: '', OperationTypes: [{ Operation: 'query', Type: 'Hello' }] }],
    SchemaExtension: [{ Description: '', Directives: [{ Location: '', Name: 'd' }] }],
  });
});

test('graphql.parse_schema errors', () => {
  const cases: [string, string][] = [
    ['type Hello {}', 'expected at least one definition, found } in GraphQL string at location 1:13'],
    ['extend type Hello', 'Unexpected <EOF> in GraphQL string at location 1:18'],
    ['extend schema', 'Unexpected <EOF> in GraphQL string at location 1:14'],
    ['\n  "Description"\n  extend type Hello { a: Int }', 'Unexpected String "Description" in GraphQL string at location 2:4'],
    ['union Hello = Wo || Rld', 'Expected Name, found | in GraphQL string at location 1:19'],
    ['directive @foo on FIELD | WRONG', 'Unexpected Name "WRONG" in GraphQL string at location 1:27'],
    ['input Hello {\n  world(foo: Int): String\n}', 'Expected :, found ( in GraphQL string at location 2:8'],
    ['type o{d(g:[', 'Expected Name, found <EOF> in GraphQL string at location 1:13'],
    ['"""\r', 'Unexpected <Invalid> in GraphQL string at location 2:1'],
  ];
  for (const [src, msg] of cases) assert.equal(callErr('graphql.parse_schema', src).message, `graphql.parse_schema: ${msg}`);
});

test('graphql.schema_is_valid applies gqlparser schema rules', () => {
  const cases: [string, boolean][] = [
    ['type Hello { world: String }', true],
    ['extend type User { id: ID! }\nunion E = User\nextend type Query { e: E }', true],
    ['extend type Hello implements Greeting', false],
    ['union Hello = World', false],
    ['schema { query: Query }', false],
    ['type Query { x: Int }\ndirective @d(a: String = "b") on SCHEMA\nextend schema @d', true],
    ['extend scalar Foo @deprecated\nextend type Foo @deprecated', false],
    ['interface IA { id: ID! }\ninterface IIA implements IA { id: ID! }\ntype A implements IIA { id: ID! }', false],
    ['interface IA { id: ID! }\ninterface IIA implements IA { id: ID! }\ntype A implements IIA & IA { id: ID! }', true],
    ['interface I { id: ID! }\ntype A implements I { name: String }', false],
    ['type Pupil { a: Int }\ninput In { p: Pupil }', false],
    ['type T { __bad: Int }', false],
    ['type T { a: Int a: Int }', false],
    ['scalar String', false],
    ['type T { a: Missing }', false],
    ['type T { a(x: T): Int }', false],
    ['type T { a: Int @unknown }', false],
    ['enum E { A @deprecated }', true],
    ['directive @include(if: Boolean!) on FIELD\ntype Q { a: Int }', true],
    ['directive @x on FIELD\ndirective @x on FIELD', false],
  ];
  for (const [src, want] of cases) assert.equal(call('graphql.schema_is_valid', src), want, src);
  assert.equal(call('graphql.schema_is_valid', 'type {'), false);
  assert.equal(call('graphql.schema_is_valid', 42), false);
  const ast = call('graphql.parse_schema', EMPLOYEE_SCHEMA) as Value;
  assert.equal(call('graphql.schema_is_valid', ast), true);
});

test('graphql.parse validates the query against the schema', () => {
  const ok = call('graphql.parse', '{ employeeByID(id: "alice") { salary } }', EMPLOYEE_SCHEMA) as Value[];
  assert.equal(ok.length, 2);
  assert.ok(equal(ok[1] as Value, call('graphql.parse_schema', EMPLOYEE_SCHEMA) as Value));
  const cases: [string, string, string][] = [
    [
      '{ employeeByID(id: "a") {\n  salary\n  nope } }',
      EMPLOYEE_SCHEMA,
      'Cannot query field "nope" on type "Employee" in GraphQL string at location 3:3',
    ],
    [
      '{ employeeByID(id: "a") }',
      EMPLOYEE_SCHEMA,
      'Field "employeeByID" of type "Employee" must have a selection of subfields in GraphQL string at location 1:3',
    ],
    [
      '\n  query SomeOperation {\n    myAction {\n      id\n    }\n  }\n',
      'extend type Query { myAction(myEnum: Locale!): SomeResult! }\ntype SomeResult { id: String }\nenum Locale { EN }',
      'Field "myAction" argument "myEnum" of type "Locale!" is required, but it was not provided in GraphQL string at location 3:5',
    ],
    ['{ x }', 'union U = W', 'Error in gqlparser SchemaDocument to Schema conversion: input:1:7: Undefined type "W".'],
    ['{', EMPLOYEE_SCHEMA, 'Expected Name, found <EOF> in GraphQL string at location 1:2'],
    // gqlparser's own rule (graphql-js leaves it to execution); its message has no full stop.
    ['mutation { x }', EMPLOYEE_SCHEMA, 'Schema does not support operation type "mutation"\n in GraphQL string at location 1:1'],
    // Several problems: OPA reports gqlparser's whole list, located at the first one.
    [
      '{ employeeByID(id: "a") { salary } } { employeeByID(id: "b") { id } }',
      EMPLOYEE_SCHEMA,
      'This anonymous operation must be the only defined operation.\ninput:1:38: This anonymous operation must be the only defined operation in GraphQL string at location 1:1',
    ],
  ];
  for (const [q, s, msg] of cases) {
    const e = callErr('graphql.parse', q, s);
    assert.equal(e.message, `graphql.parse: ${msg}`);
    assert.equal(call('graphql.is_valid', q, s), false);
    assertValue(call('graphql.parse_and_verify', q, s), [false, {}, {}]);
  }
  assert.equal(
    callErr('graphql.parse', 1, EMPLOYEE_SCHEMA).message,
    'graphql.parse: operand 0 must be one of {string, object} but got number',
  );
  assert.equal(
    callErr('graphql.parse', '{x}', 1).message,
    'graphql.parse: operand 1 must be one of {string, object} but got number',
  );
  assert.equal(call('graphql.is_valid', 1, EMPLOYEE_SCHEMA), false);
});

test('graphql.parse/is_valid/parse_and_verify accept AST objects', () => {
  const schemaAST = call('graphql.parse_schema', EMPLOYEE_SCHEMA) as Value;
  const queryAST = call('graphql.parse_query', 'query { employeeByID(id: "alice") { salary }}') as Value;
  const parsed = call('graphql.parse', queryAST, schemaAST) as Value[];
  assert.ok(equal(parsed[0] as Value, queryAST));
  assert.ok(equal(parsed[1] as Value, schemaAST));
  assertValue(
    call('graphql.parse_and_verify', queryAST, schemaAST),
    [true, queryAST, schemaAST].map(format).map((s) => JSON.parse(s)),
  );
  assert.equal(call('graphql.is_valid', queryAST, EMPLOYEE_SCHEMA), true);
  // Keys are matched case-insensitively and unknown keys are ignored, as Go's encoding/json does.
  const loose = fromJSON({
    operations: [{ Operation: 'query', SelectionSet: [{ Name: 'employeeByID', Extra: 1, SelectionSet: [{ Name: 'id' }] }] }],
  });
  assert.equal(call('graphql.is_valid', loose, schemaAST), true);
  const bad = fromJSON({ Operations: [{ Operation: 'query', SelectionSet: [{ Name: 'nope' }] }] });
  assert.equal(
    callErr('graphql.parse', bad, schemaAST).message,
    'graphql.parse: GraphQL parse error: input: Cannot query field "nope" on type "Query".\n',
  );
  assert.match(
    callErr('graphql.parse', fromJSON({ Operations: 5 }), schemaAST).message,
    /^graphql\.parse: json: cannot unmarshal number/,
  );
  assert.equal(call('graphql.is_valid', fromJSON({ Operations: 5 }), schemaAST), false);
  const badSchema = fromJSON({ Definitions: [{ Kind: 'UNION', Name: 'U', Types: ['W'] }] });
  assert.equal(
    callErr('graphql.parse', '{ x }', badSchema).message,
    'graphql.parse: Error in gqlparser SchemaDocument to Schema conversion: input: Undefined type "W".',
  );
  assert.equal(call('graphql.schema_is_valid', badSchema), false);
  assert.equal(call('graphql.schema_is_valid', new RObject()), true);
});

test('graphql validation follows the GraphQL rules for variables, fragments and directives', () => {
  const schema = 'type Query { bar(x: Int): String!, obj: O }\ntype O { a: Int }';
  const cases: [string, boolean][] = [
    ['query Foo($flag: Boolean!) { ...Bar }\nfragment Bar on Query { bar @include(if: $flag) }', true],
    ['query Foo($flag: Boolean!) { bar }', false],
    ['{ bar(x: $undefined) }', false],
    ['{ bar(x: "str") }', false],
    ['{ bar(y: 1) }', false],
    ['{ obj { ... on O { a } } }', true],
    ['{ obj { ... @defer { a } } }', true],
    ['{ ...Missing }', false],
    ['{ obj { a } } fragment Unused on O { a }', false],
    ['{ __typename __schema { queryType { name } } }', true],
    ['{ bar @unknown }', false],
  ];
  for (const [q, want] of cases) assert.equal(call('graphql.is_valid', q, schema), want, q);
});

test('graphql builtins report deeply nested documents as errors', () => {
  const deepQuery = `${'{ a '.repeat(20000)}${'}'.repeat(20000)}`;
  assert.match(callErr('graphql.parse_query', deepQuery).message, /^graphql\.parse_query: /);
  const deepType = `type T { a: ${'['.repeat(50000)}Int${']'.repeat(50000)} }`;
  assert.match(callErr('graphql.parse_schema', deepType).message, /^graphql\.parse_schema: /);
  assert.equal(call('graphql.is_valid', deepQuery, 'type Query { a: Int }'), false);
});

test('graphql builtins never crash or hang on arbitrary text', () => {
  const alphabet = fc.constantFrom(...'{}()[]:$@!=|&."\\ \n#aonqtyp0-1eE'.split(''), 'query', 'type', 'on', '...', '"""');
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 40 }), (parts) => {
      const src = parts.join('');
      for (const name of ['graphql.parse_query', 'graphql.parse_schema']) {
        try {
          call(name, src);
        } catch (e) {
          assert.ok(e instanceof BuiltinError, String(e));
        }
      }
      assert.equal(typeof call('graphql.is_valid', src, src), 'boolean');
      assert.equal(typeof call('graphql.schema_is_valid', src), 'boolean');
    }),
    { numRuns: 300 },
  );
});
