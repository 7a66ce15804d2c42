// Runs go-ftw regression tests straight against a WafEngine, with no sockets: each stage's request
// is built byte for byte as go-ftw sends it (builder.ts), read as the HTTP server in front of the WAF
// would (http-parse.ts), run through phases 1-2, answered by the CRS test backend (backend.ts) whose
// response goes through phases 3-4, then phase 5. The logged matches become ModSecurity-style log
// lines (log.ts) and the stage's `output` is judged the way go-ftw's checkResult does:
//   expect_error: passes exactly when the client saw no HTTP response (an HTTP/0.9 answer, a request
//   the server is still waiting on); otherwise such an error fails the stage. Then status (what the
//   client got: the server's 400, the WAF's block, or the backend's answer), response_contains
//   (a Go regexp over the whole response), and the log: match_regex on some line, every expect_id
//   present (and nothing else when `isolated`), no_match_regex on no line, no no_expect_id present.
// Not modelled: save_cookie (go-ftw does not implement it either), follow_redirect, retry_once (it
// works around log-flush races that cannot happen here) and virtual_host_mode.

import type { Interruption, RuleSet, WafEngine, WafRequest } from '../index.js';
import { albedo, type BackendResponse, serializeResponse, serverResponse } from './backend.js';
import { buildRequest, FtwInputError } from './builder.js';
import { GoRegexError, goRegex } from './go-regex.js';
import { parseHttpRequest } from './http-parse.js';
import { formatLogLine, type LogContext, triggeredIds } from './log.js';
import type { DisabledRule } from './setup.js';
import type { FtwFile, FtwOutput, FtwStage, FtwTest } from './types.js';

export interface StageResult {
  /** 0-based stage index, and the URI when the stage lists several (`uris`). */
  stage: number;
  uri?: string;
  pass: boolean;
  /** Why it failed, one entry per failed check. */
  failures: string[];
  /** Status the client got (undefined when it got no HTTP response). */
  status?: number;
  /** The client-side error go-ftw would see (no status line, no response). */
  clientError?: string;
  /** Why the server answered without consulting the WAF. */
  rejectedBy?: string;
  triggered: number[];
  missing: number[];
  unexpected: number[];
  logLines: string[];
  notes: string[];
}

export interface TestResult {
  file: string;
  test: FtwTest;
  pass: boolean;
  stages: StageResult[];
  /** Reasons of the overrides that replaced this test's expectations. */
  overridden?: string[];
}

export interface RunnerOptions {
  /** Rules the engine could not run (setup.ts), named in failure reasons. */
  disabled?: DisabledRule[];
}

const blocks = (it: Interruption | undefined): it is Interruption => it !== undefined && it.action !== 'allow';

function pathOf(target: string): string {
  const abs = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*(.*)$/s.exec(target);
  return ((abs ? abs[1] || '/' : target) as string).replace(/[?#].*$/s, '');
}

export class FtwRunner {
  private readonly disabled = new Map<number, string>();
  private port = 40000;

  constructor(
    readonly engine: WafEngine,
    readonly ruleSet: RuleSet,
    opts: RunnerOptions = {},
  ) {
    for (const d of opts.disabled ?? []) this.disabled.set(d.id, d.reason);
  }

  runFile(file: FtwFile, include?: RegExp): TestResult[] {
    return file.tests.filter((t) => !include || include.test(t.idString)).map((t) => this.runTest(t, file.path));
  }

  runTest(test: FtwTest, file = ''): TestResult {
    const stages: StageResult[] = [];
    test.stages.forEach((s, i) => {
      const uris = s.input.uris && s.input.uris.length > 0 ? s.input.uris : [undefined];
      for (const u of uris) stages.push(this.runStage(s, i, u, `${test.idString}-${i}`));
    });
    return { file, test, pass: stages.every((s) => s.pass), stages };
  }

  runStage(stage: FtwStage, index = 0, uri?: string, uniqueId = 'ftw'): StageResult {
    const r: StageResult = {
      stage: index,
      uri,
      pass: false,
      failures: [],
      triggered: [],
      missing: [],
      unexpected: [],
      logLines: [],
      notes: [],
    };
    const out = stage.output;
    if (out.isolated && out.log.expectIds.length !== 1) {
      r.failures.push("bad test: 'isolated' needs exactly one expect_id");
      return r;
    }
    let bytes: Buffer;
    try {
      const built = buildRequest(stage.input, uri);
      bytes = built.bytes;
      r.notes.push(...built.notes);
    } catch (e) {
      if (!(e instanceof FtwInputError)) throw e;
      r.failures.push(`bad test input: ${e.message}`);
      return r;
    }

    let response: BackendResponse | undefined;
    const parsed = parseHttpRequest(bytes);
    if (parsed.kind === 'rejected') {
      r.rejectedBy = parsed.reason;
      response = serverResponse(parsed.status);
    } else if (parsed.kind === 'incomplete') {
      r.clientError = `no response: the server is still waiting for the request (${parsed.reason})`;
    } else {
      const req = parsed.request;
      const port = this.port++;
      const waf: WafRequest = {
        method: req.method,
        uri: req.target,
        protocol: req.version,
        headers: req.headers,
        body: req.body.length > 0 ? req.body : undefined,
        remoteAddr: '127.0.0.1',
        remotePort: port,
        serverAddr: '127.0.0.1',
        serverPort: stage.input.port ?? 80,
        id: uniqueId,
      };
      const tx = this.engine.newTransaction();
      let blockedAt = 0;
      let it = tx.processRequestHeaders(waf);
      if (blocks(it)) blockedAt = 1;
      else {
        it = tx.processRequestBody();
        if (blocks(it)) blockedAt = 2;
      }
      if (!blocks(it)) {
        const backend = albedo(req, stage.input.response);
        const body = Buffer.from(backend.body, 'latin1');
        it = tx.processResponseHeaders({ status: backend.status, protocol: 'HTTP/1.1', headers: backend.headers, body });
        if (blocks(it)) blockedAt = 3;
        else {
          it = tx.processResponseBody(body);
          if (blocks(it)) blockedAt = 4;
        }
        response = blocks(it) ? serverResponse(it.status) : backend;
      } else {
        response = serverResponse(it.status);
      }
      tx.processLogging();
      if (blocks(it) && it.action === 'drop') {
        response = undefined;
        r.clientError = 'connection dropped by the WAF';
      }
      const host = req.headers.find(([k]) => k.toLowerCase() === 'host')?.[1] ?? '127.0.0.1';
      const ctx: LogContext = {
        clientIp: '127.0.0.1',
        clientPort: port,
        hostname: host,
        uri: pathOf(req.target),
        uniqueId,
        interruption: blocks(it) ? { ruleId: it.ruleId, status: it.status, phase: blockedAt } : undefined,
        expand: (text) => text.replace(/%\{tx\.([^}]+)\}/gi, (_, name: string) => tx.tx(name) ?? ''),
      };
      r.logLines = tx.matchedRules.map((m) => formatLogLine(m, this.ruleSet.byId.get(m.id), ctx));
      if (req.http09) {
        response = undefined;
        r.clientError = 'HTTP/0.9 answer: no status line';
      }
    }
    r.status = response?.status;
    r.triggered = triggeredIds(r.logLines);
    this.check(r, out, response);
    r.pass = r.failures.length === 0;
    return r;
  }

  private regex(src: string, what: string, r: StageResult): RegExp | undefined {
    try {
      return goRegex(src);
    } catch (e) {
      if (!(e instanceof GoRegexError)) throw e;
      r.failures.push(`${what}: ${e.message}`);
      return undefined;
    }
  }

  private why(id: number): string {
    const d = this.disabled.get(id);
    if (d) return ` (rule disabled: ${d})`;
    return this.ruleSet.byId.has(id) ? '' : ' (no such rule loaded)';
  }

  private check(r: StageResult, out: FtwOutput, response: BackendResponse | undefined): void {
    if (out.expectError) {
      if (r.clientError === undefined) r.failures.push(`expected an error, got status ${r.status}`);
      return;
    }
    if (r.clientError !== undefined || !response) {
      r.failures.push(`unexpected error: ${r.clientError ?? 'no response'}`);
      return;
    }
    if (out.status !== undefined && out.status !== response.status) {
      const by = r.rejectedBy ? ` (server refused: ${r.rejectedBy})` : '';
      r.failures.push(`status ${response.status}${by}, expected ${out.status}`);
    }
    if (out.responseContains !== undefined) {
      const re = this.regex(out.responseContains, 'response_contains', r);
      if (re && !re.test(serializeResponse(response)))
        r.failures.push(`response does not match ${JSON.stringify(out.responseContains)}`);
    }
    const log = out.log;
    if (log.matchRegex !== undefined) {
      const re = this.regex(log.matchRegex, 'match_regex', r);
      if (re && !r.logLines.some((l) => re.test(l))) r.failures.push(`no log line matches ${JSON.stringify(log.matchRegex)}`);
    }
    r.missing = log.expectIds.filter((id) => !r.triggered.includes(id));
    for (const id of r.missing) r.failures.push(`expected rule ${id} not logged${this.why(id)}`);
    if (out.isolated && r.triggered.length !== 1) r.failures.push(`isolated: logged ${r.triggered.join(', ')}`);
    if (log.noMatchRegex !== undefined) {
      const re = this.regex(log.noMatchRegex, 'no_match_regex', r);
      const hit = re ? r.logLines.find((l) => re.test(l)) : undefined;
      if (hit !== undefined)
        r.failures.push(
          `a log line matches ${JSON.stringify(log.noMatchRegex)}: ${hit.slice(hit.indexOf('ModSecurity:'), hit.indexOf('ModSecurity:') + 160)}`,
        );
    }
    r.unexpected = log.noExpectIds.filter((id) => r.triggered.includes(id));
    for (const id of r.unexpected) r.failures.push(`rule ${id} logged but must not be`);
    if (r.rejectedBy && r.failures.length > 0) r.notes.push(`the server refused the request: ${r.rejectedBy}`);
  }
}
