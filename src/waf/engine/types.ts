// Public types of the WAF engine: what a caller hands in (request, response) and what comes back
// (interruptions, matched rules). Every string the engine inspects is a byte string (char codes
// 0-255), so header values and URIs are expected as Node gives them (latin1-decoded bytes).

export interface WafRequest {
  method: string;
  /** The raw request target as received (`/a/b?x=1`, `*`, `http://host/p`, `host:443`). */
  uri: string;
  /** `HTTP/1.1`, `HTTP/2.0`, ... */
  protocol: string;
  /** Raw order, original case; repeated names stay repeated. */
  headers: [string, string][];
  body?: Buffer;
  remoteAddr: string;
  remotePort?: number;
  serverAddr?: string;
  serverPort?: number;
  /** UNIQUE_ID; a random one is made when absent. */
  id?: string;
}

export interface WafResponse {
  status: number;
  protocol?: string;
  headers: [string, string][];
  body?: Buffer;
}

/**
 * What a disruptive action asks of the caller. `allow` is not a block: it says the rules let the
 * transaction through and the remaining request (or all remaining) phases are skipped.
 */
export interface Interruption {
  action: 'deny' | 'drop' | 'redirect' | 'allow';
  status: number;
  /** The rule that decided (0 for engine limits such as SecRequestBodyLimit). */
  ruleId: number;
  url?: string;
}

export interface MatchedRule {
  id: number;
  phase: number;
  msg: string;
  /** logdata, macro-expanded. */
  data: string;
  tags: string[];
  severity?: number;
  /** Full name of the (last) matched variable of the chain head, e.g. `ARGS:q`. */
  matchedVarName: string;
  /** Its value after transformations. */
  matchedVar: string;
  /** The rule's disruptive action kind, as written (block resolved to its effective kind). */
  disruptive?: string;
  /** False for rules with `nolog`: such matches are kept in `allMatchedRules` only. */
  log: boolean;
  file: string;
  line: number;
}

export interface EngineOptions {
  /** Reads a data file named by @pmFromFile/@ipMatchFromFile; default: fs relative to the rule file. */
  readFile?(name: string, ruleFile: string): string;
  /**
   * Longest value (in bytes) handed to transformations and operators; longer values are inspected
   * through their first `maxValueLength` bytes. Default 1 MiB.
   */
  maxValueLength?: number;
  /** Largest number of persistent collection records (initcol) kept in memory. Default 10000. */
  maxPersistentRecords?: number;
  /** Pick JSON/XML body processors from Content-Type without a ctl (default true). */
  autoBodyProcessors?: boolean;
  /** Clock in ms (tests); default Date.now. */
  now?(): number;
  /** Extra ENV collection entries (the process environment is never exposed). */
  env?: Record<string, string>;
  /** Called for an internal error while evaluating (the rule is treated as not matching). */
  onError?(err: unknown, ruleId: number): void;
}
