// The go-ftw test model after loading: one FtwFile per YAML file, its tests and their stages. Field
// names follow the go-ftw / ftw-tests-schema YAML keys; absent optional fields stay undefined so the
// request builder can apply go-ftw's defaults (GET, "/", HTTP/1.1, autocomplete on).

export interface FtwHeader {
  name: string;
  value: string;
}

/** The albedo response specification a stage may carry (`input.response`). */
export interface FtwResponseSpec {
  status?: number;
  headers: FtwHeader[];
  body?: string;
  encodedBody?: string;
}

export interface FtwInput {
  destAddr?: string;
  port?: number;
  protocol?: string;
  method?: string;
  uri?: string;
  /** `uris`: the stage runs once per URI. */
  uris?: string[];
  version?: string;
  /** In YAML order for a list, sorted by name for a map (what go-ftw sends). */
  headers: FtwHeader[];
  /** `data` as text (a legacy list of lines is joined with CRLF); may hold a Go template. */
  data?: string;
  /** `encoded_data`: base64 of the body bytes. */
  encodedData?: string;
  /** `encoded_request`: base64 of the whole request; every other field is ignored. */
  encodedRequest?: string;
  /** `raw_request` (deprecated): the whole request as text. */
  rawRequest?: string;
  /** Resolved from autocomplete_headers / stop_magic (inverse); default true. */
  autocompleteHeaders: boolean;
  response?: FtwResponseSpec;
}

export interface FtwLogExpectation {
  expectIds: number[];
  noExpectIds: number[];
  matchRegex?: string;
  noMatchRegex?: string;
}

export interface FtwOutput {
  status?: number;
  responseContains?: string;
  log: FtwLogExpectation;
  expectError: boolean;
  isolated: boolean;
}

export interface FtwStage {
  input: FtwInput;
  output: FtwOutput;
}

export interface FtwTest {
  ruleId: number;
  testId: number;
  /** go-ftw's id string `<rule_id>-<test_id>` (what --include matches and lists hold). */
  idString: string;
  title?: string;
  description?: string;
  stages: FtwStage[];
}

export interface FtwFile {
  path: string;
  ruleId: number;
  tests: FtwTest[];
}

export function emptyOutput(): FtwOutput {
  return { log: { expectIds: [], noExpectIds: [] }, expectError: false, isolated: false };
}
