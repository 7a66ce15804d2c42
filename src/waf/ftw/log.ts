// The error-log lines ModSecurity v2 (Apache) writes for logged rule matches, which go-ftw searches:
// `[id "942100"]` for expect_ids / no_expect_ids, the whole line for match_regex / no_match_regex.
//   [date] [security2:error] [pid N] [client IP:PORT] [client IP] ModSecurity: Warning. <what matched>
//   [file "..."] [line "N"] [id "N"] [rev ".."] [msg ".."] [data ".."] [severity "CRITICAL"] [ver ".."]
//   [maturity "N"] [accuracy "N"] [tag ".."]... [hostname ".."] [uri ".."] [unique_id ".."]
// An interrupting match reads "Access denied with code N (phase P)." instead of "Warning.". Field
// values are escaped as ModSecurity does (quote and backslash escaped, other bytes outside printable
// ASCII as \xHH); [data] is cut at 512 bytes.

import type { MatchedRule, Rule } from '../index.js';

export interface LogContext {
  clientIp: string;
  clientPort: number;
  hostname: string;
  /** Path of the request (ModSecurity logs the parsed URI without the query). */
  uri: string;
  uniqueId: string;
  /** The engine's interruption, when it blocked: its rule logs "Access denied". */
  interruption?: { ruleId: number; status: number; phase: number };
  /** Expands `%{...}` macros in operator parameters (ModSecurity logs the value compared against). */
  expand?: (text: string) => string;
}

const SEVERITIES = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];
const MAX_DATA = 512;

export function logEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c < 0x20 || c > 0x7e) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += s[i];
  }
  return out;
}

const COMPARE: Record<string, string> = { eq: 'EQ', ge: 'GE', gt: 'GT', le: 'LE', lt: 'LT' };

/** The "what matched" sentence for the rule's operator (the chain head's, as the engine reports it). */
export function matchDescription(rule: Rule | undefined, m: MatchedRule, expand?: (text: string) => string): string {
  const at = m.matchedVarName || 'N/A';
  const op = rule?.operator;
  if (rule?.kind === 'action' || !op) return 'Unconditional match in SecAction.';
  const param = logEscape(expand && op.param.includes('%{') ? expand(op.param) : op.param);
  const name = op.name.toLowerCase();
  if (op.negated) return `Match of "${logEscape(op.name)} ${param}" against "${logEscape(at)}" required.`;
  const cmp = COMPARE[name];
  if (cmp) return `Operator ${cmp} matched ${param} at ${at}.`;
  switch (name) {
    case 'rx':
      return `Pattern match "${param}" at ${at}.`;
    case 'pm':
    case 'pmf':
    case 'pmfromfile':
      return `Matched phrase "${logEscape(m.matchedVar.slice(0, 64))}" at ${at}.`;
    case 'within':
      return `String match within "${param}" at ${at}.`;
    case 'streq':
    case 'beginswith':
    case 'endswith':
    case 'contains':
    case 'containsword':
      return `String match "${param}" at ${at}.`;
    case 'detectsqli':
      return `detected SQLi using libinjection at ${at}.`;
    case 'detectxss':
      return `detected XSS using libinjection at ${at}.`;
    case 'validatebyterange':
      return `Found invalid byte(s) in ${at} outside range: ${param}.`;
    case 'validateurlencoding':
      return `Invalid URL Encoding at ${at}.`;
    case 'validateutf8encoding':
      return `Invalid UTF-8 encoding at ${at}.`;
    case 'ipmatch':
    case 'ipmatchfromfile':
      return `IPmatch: "${logEscape(m.matchedVar)}" matched at ${at}.`;
    case 'unconditionalmatch':
      return 'Unconditional match.';
    default:
      return `Operator @${logEscape(op.name)} matched at ${at}.`;
  }
}

export function formatLogLine(m: MatchedRule, rule: Rule | undefined, ctx: LogContext): string {
  const a = rule?.actions;
  const int = ctx.interruption;
  const head = int && int.ruleId === m.id ? `Access denied with code ${int.status} (phase ${int.phase}).` : 'Warning.';
  let line = `[Mon Jan 01 00:00:00.000000 2024] [security2:error] [pid 1] [client ${ctx.clientIp}:${ctx.clientPort}] [client ${ctx.clientIp}] ModSecurity: ${head} ${matchDescription(rule, m, ctx.expand)}`;
  line += ` [file "${logEscape(m.file)}"] [line "${m.line}"] [id "${m.id}"]`;
  if (a?.rev) line += ` [rev "${logEscape(a.rev)}"]`;
  if (m.msg) line += ` [msg "${logEscape(m.msg)}"]`;
  if (m.data) {
    let d = logEscape(m.data);
    if (d.length > MAX_DATA) d = `${d.slice(0, MAX_DATA)}...`;
    line += ` [data "${d}"]`;
  }
  if (m.severity !== undefined) line += ` [severity "${SEVERITIES[m.severity] ?? m.severity}"]`;
  if (a?.ver) line += ` [ver "${logEscape(a.ver)}"]`;
  if (a?.maturity !== undefined) line += ` [maturity "${a.maturity}"]`;
  if (a?.accuracy !== undefined) line += ` [accuracy "${a.accuracy}"]`;
  for (const t of m.tags) line += ` [tag "${logEscape(t)}"]`;
  line += ` [hostname "${logEscape(ctx.hostname)}"] [uri "${logEscape(ctx.uri)}"] [unique_id "${logEscape(ctx.uniqueId)}"]`;
  return line;
}

/** go-ftw's TriggeredRules: every id in `[id "N"]` (or JSON `"id": N`) on the lines. */
export function triggeredIds(lines: string[]): number[] {
  const ids = new Set<number>();
  const re = /\[id "(\d+)"\]|"id":\s*"?(\d+)"?/g;
  for (const l of lines) for (const m of l.matchAll(re)) ids.add(Number(m[1] ?? m[2]));
  return [...ids];
}
