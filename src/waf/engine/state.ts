// Per-transaction data: the request/response as collections and scalar variables. Rules read it
// through variables.ts; the body processors (body.ts) and actions (actions.ts) fill it.

import { STATUS_CODES } from 'node:http';
import { KeyedCollection, MultiCollection, VarValue } from './collection.js';
import type { MultipartResult } from './multipart.js';
import type { WafRequest, WafResponse } from './types.js';
import type { XmlDocument } from './xml.js';

/** What the rules currently running expose as the RULE collection. */
export interface RuleInfo {
  id: number;
  phase: number;
  msg: string;
  logdata: string;
  severity?: number;
  rev?: string;
  ver?: string;
  maturity?: number;
  accuracy?: number;
}

export class TxState {
  req: WafRequest | undefined;
  res: WafResponse | undefined;
  readonly startMs: number;

  // Request line
  method = '';
  protocol = '';
  uriRaw = '';
  uri = '';
  filename = '';
  basename = '';
  query: string | undefined;
  requestLine = '';
  serverName = '';
  uniqueId = '';

  // Arguments and headers
  readonly args = new MultiCollection('ARGS');
  readonly argsGet = new MultiCollection('ARGS_GET');
  readonly argsPost = new MultiCollection('ARGS_POST');
  readonly argsNames = new MultiCollection('ARGS_NAMES');
  readonly argsGetNames = new MultiCollection('ARGS_GET_NAMES');
  readonly argsPostNames = new MultiCollection('ARGS_POST_NAMES');
  argsCombinedSize = 0;
  argCount = 0;
  readonly headers = new MultiCollection('REQUEST_HEADERS');
  readonly headerNames = new MultiCollection('REQUEST_HEADERS_NAMES');
  readonly cookies = new MultiCollection('REQUEST_COOKIES');
  readonly cookieNames = new MultiCollection('REQUEST_COOKIES_NAMES');

  // Body
  bodyProcessor: string | undefined;
  /** ctl:forceRequestBodyVariable=On. */
  forceRequestBody = false;
  body = '';
  bodyLength = 0;
  reqbodyError = false;
  reqbodyErrorMsg = '';
  inboundDataError = false;
  urlencodedError = false;
  multipart: MultipartResult | undefined;
  xml: XmlDocument | undefined;
  readonly files = new MultiCollection('FILES');
  readonly filesNames = new MultiCollection('FILES_NAMES');
  readonly filesSizes = new MultiCollection('FILES_SIZES');
  readonly filesTmpContent = new MultiCollection('FILES_TMP_CONTENT');
  readonly filesTmpNames = new MultiCollection('FILES_TMPNAMES');
  readonly multipartPartHeaders = new MultiCollection('MULTIPART_PART_HEADERS');
  readonly multipartName = new MultiCollection('MULTIPART_NAME');
  readonly multipartFilename = new MultiCollection('MULTIPART_FILENAME');
  filesCombinedSize = 0;

  // Response
  readonly resHeaders = new MultiCollection('RESPONSE_HEADERS');
  readonly resHeaderNames = new MultiCollection('RESPONSE_HEADERS_NAMES');
  responseBody = '';
  outboundDataError = false;

  // Rule state
  readonly tx = new KeyedCollection('TX');
  // Rarely used collections are created on first use.
  private envColl: KeyedCollection | undefined;
  private geoColl: KeyedCollection | undefined;
  private persistentMap: Map<string, KeyedCollection> | undefined;
  get env(): KeyedCollection {
    this.envColl ??= new KeyedCollection('ENV');
    return this.envColl;
  }
  /** GEO: no geolocation database is consulted, so it stays empty. */
  get geo(): KeyedCollection {
    this.geoColl ??= new KeyedCollection('GEO');
    return this.geoColl;
  }
  /** An opened persistent collection, without allocating the table when none was opened. */
  persisted(name: string): KeyedCollection | undefined {
    return this.persistentMap?.get(name);
  }
  /** Collections opened by initcol/setsid/setuid/setrsc, by upper-case name. */
  get persistent(): Map<string, KeyedCollection> {
    this.persistentMap ??= new Map();
    return this.persistentMap;
  }
  matchedVars = new MultiCollection('MATCHED_VARS');
  matchedVarsNames = new MultiCollection('MATCHED_VARS_NAMES');
  matchedVar: VarValue | undefined;
  matchedVarName: VarValue | undefined;
  highestSeverity = 255;
  userId = '';
  sessionId = '';
  rule: RuleInfo | undefined;
  private xmlValues: Map<string, VarValue[]> | undefined;
  /** XPath → values, filled on first use after the XML body was parsed. */
  get xmlCache(): Map<string, VarValue[]> {
    this.xmlValues ??= new Map();
    return this.xmlValues;
  }
  private readonly scalarCache = new Map<string, VarValue>();

  constructor(
    private readonly now: () => number,
    env: Record<string, string> | undefined,
  ) {
    this.startMs = now();
    if (env) for (const [k, v] of Object.entries(env)) this.env.set(k, v);
  }

  addArg(source: 'GET' | 'POST', name: string, value: string): void {
    const c = source === 'GET' ? this.argsGet : this.argsPost;
    const cn = source === 'GET' ? this.argsGetNames : this.argsPostNames;
    c.add(name, value);
    cn.add(name, name);
    this.args.add(name, value);
    this.argsNames.add(name, name);
    this.argsCombinedSize += name.length + value.length;
    this.argCount++;
  }

  /** Replaces MATCHED_VARS/MATCHED_VARS_NAMES with empty ones (start of every rule). */
  resetMatchedVars(): void {
    if (this.matchedVars.size > 0) {
      this.matchedVars = new MultiCollection('MATCHED_VARS');
      this.matchedVarsNames = new MultiCollection('MATCHED_VARS_NAMES');
    }
  }

  noteMatch(fullName: string, value: string): void {
    this.matchedVar = new VarValue('MATCHED_VAR', '', value);
    this.matchedVarName = new VarValue('MATCHED_VAR_NAME', '', fullName);
    this.matchedVars.add(fullName, value);
    this.matchedVarsNames.add(fullName, fullName);
  }

  /** A plain variable's value, or undefined when the variable is not set. */
  scalar(name: string): string | undefined {
    switch (name) {
      case 'REQUEST_URI':
        return this.uri;
      case 'REQUEST_URI_RAW':
        return this.uriRaw;
      case 'REQUEST_FILENAME':
      case 'PATH_INFO':
        return this.filename;
      case 'REQUEST_BASENAME':
        return this.basename;
      case 'REQUEST_LINE':
        return this.requestLine;
      case 'REQUEST_METHOD':
        return this.method;
      case 'REQUEST_PROTOCOL':
        return this.protocol;
      case 'QUERY_STRING':
        return this.query ?? '';
      case 'REQUEST_BODY':
        // As documented: the raw body is REQUEST_BODY when no processor or URLENCODED parsed it,
        // or when ctl:forceRequestBodyVariable asks for it (CRS does for unparsed types).
        return this.bodyProcessor === undefined || this.bodyProcessor === 'URLENCODED' || this.forceRequestBody
          ? this.body
          : undefined;
      case 'STREAM_INPUT_BODY':
        return this.body;
      case 'REQUEST_BODY_LENGTH':
        return String(this.bodyLength);
      case 'FULL_REQUEST':
        return this.fullRequest();
      case 'FULL_REQUEST_LENGTH':
        return String(this.fullRequest().length);
      case 'ARGS_COMBINED_SIZE':
        return String(this.argsCombinedSize);
      case 'FILES_COMBINED_SIZE':
        return String(this.filesCombinedSize);
      case 'REMOTE_ADDR':
      case 'REMOTE_HOST':
      case 'USERAGENT_IP':
        return this.req?.remoteAddr ?? '';
      case 'REMOTE_PORT':
        return String(this.req?.remotePort ?? 0);
      case 'REMOTE_USER':
        return this.remoteUser();
      case 'SERVER_ADDR':
        return this.req?.serverAddr ?? '';
      case 'SERVER_PORT':
        return String(this.req?.serverPort ?? 0);
      case 'SERVER_NAME':
        return this.serverName;
      case 'UNIQUE_ID':
        return this.uniqueId;
      case 'AUTH_TYPE': {
        const auth = this.headers.first('authorization');
        return auth === undefined ? undefined : (auth.trim().split(/\s+/)[0] ?? '');
      }
      case 'REQBODY_PROCESSOR':
        return this.bodyProcessor;
      case 'REQBODY_ERROR':
      case 'REQBODY_PROCESSOR_ERROR':
        return this.reqbodyError ? '1' : '0';
      case 'REQBODY_ERROR_MSG':
      case 'REQBODY_PROCESSOR_ERROR_MSG':
        return this.reqbodyErrorMsg;
      case 'INBOUND_DATA_ERROR':
        return this.inboundDataError ? '1' : '0';
      case 'OUTBOUND_DATA_ERROR':
        return this.outboundDataError ? '1' : '0';
      case 'URLENCODED_ERROR':
        return this.urlencodedError ? '1' : '0';
      case 'RESPONSE_STATUS':
        return this.res ? String(this.res.status) : undefined;
      case 'RESPONSE_PROTOCOL':
        return this.res ? (this.res.protocol ?? this.protocol) : undefined;
      case 'STATUS_LINE': {
        if (!this.res) return undefined;
        const reason = STATUS_CODES[this.res.status];
        return `${this.res.protocol ?? this.protocol} ${this.res.status}${reason ? ` ${reason}` : ''}`;
      }
      case 'RESPONSE_CONTENT_TYPE':
        return this.resHeaders.first('content-type');
      case 'RESPONSE_CONTENT_LENGTH':
        return this.res ? (this.resHeaders.first('content-length') ?? String(this.res.body?.length ?? 0)) : undefined;
      case 'RESPONSE_BODY':
      case 'STREAM_OUTPUT_BODY':
        return this.res ? this.responseBody : undefined;
      case 'MATCHED_VAR':
        return this.matchedVar?.value;
      case 'MATCHED_VAR_NAME':
        return this.matchedVarName?.value;
      case 'HIGHEST_SEVERITY':
        return String(this.highestSeverity);
      case 'DURATION':
        return String(Math.max(0, Math.round(this.now() - this.startMs)));
      case 'USERID':
        return this.userId;
      case 'SESSIONID':
        return this.sessionId;
      case 'WEBAPPID':
        return 'default';
      case 'WEBSERVER_ERROR_LOG':
        return '';
      case 'MSC_PCRE_LIMITS_EXCEEDED':
        return '0';
      case 'MODSEC_BUILD':
        return '030000000';
      case 'HTTP_VERSION':
        return this.protocol.replace(/^HTTP\//, '');
      default:
        if (name.startsWith('TIME')) return this.timePart(name);
        if (name.startsWith('MULTIPART_')) return this.multipartFlag(name);
        return undefined;
    }
  }

  /** The scalar as a VarValue, reused while its value is unchanged (keeps transformation caches). */
  scalarVar(name: string): VarValue | undefined {
    let v: VarValue | undefined;
    if (name === 'MATCHED_VAR') v = this.matchedVar;
    else if (name === 'MATCHED_VAR_NAME') v = this.matchedVarName;
    if (v !== undefined) return v;
    const s = this.scalar(name);
    if (s === undefined) return undefined;
    const cached = this.scalarCache.get(name);
    if (cached !== undefined && cached.value === s) return cached;
    v = new VarValue(name, '', s);
    this.scalarCache.set(name, v);
    return v;
  }

  private fullRequestText: string | undefined;
  private fullRequest(): string {
    if (this.fullRequestText === undefined) {
      let s = `${this.requestLine}\r\n`;
      for (const h of this.req?.headers ?? []) s += `${h[0]}: ${h[1]}\r\n`;
      this.fullRequestText = `${s}\r\n${this.body}`;
    }
    return this.fullRequestText;
  }

  invalidateFullRequest(): void {
    this.fullRequestText = undefined;
  }

  private remoteUser(): string {
    const auth = this.headers.first('authorization');
    const m = auth === undefined ? null : /^\s*basic\s+([A-Za-z0-9+/=]+)/i.exec(auth);
    if (!m) return '';
    const decoded = Buffer.from(m[1] as string, 'base64').toString('latin1');
    const colon = decoded.indexOf(':');
    return colon < 0 ? decoded : decoded.slice(0, colon);
  }

  private timePart(name: string): string | undefined {
    const d = new Date(this.now());
    const two = (n: number): string => String(n).padStart(2, '0');
    switch (name) {
      case 'TIME':
        return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
      case 'TIME_DAY':
        return String(d.getDate());
      case 'TIME_EPOCH':
        return String(Math.floor(d.getTime() / 1000));
      case 'TIME_HOUR':
        return two(d.getHours());
      case 'TIME_MIN':
        return two(d.getMinutes());
      case 'TIME_MON':
        return String(d.getMonth() + 1);
      case 'TIME_SEC':
        return two(d.getSeconds());
      case 'TIME_WDAY':
        return String(d.getDay());
      case 'TIME_YEAR':
        return String(d.getFullYear());
      default:
        return undefined;
    }
  }

  private multipartFlag(name: string): string | undefined {
    const m = this.multipart;
    if (m === undefined) return undefined;
    const f = m.flags;
    const b = (x: boolean): string => (x ? '1' : '0');
    switch (name) {
      case 'MULTIPART_STRICT_ERROR':
        return b(
          m.error !== undefined ||
            f.boundaryQuoted ||
            f.boundaryWhitespace ||
            f.missingSemicolon ||
            f.dataBefore ||
            f.dataAfter ||
            f.headerFolding ||
            f.invalidHeaderFolding ||
            f.lfLine ||
            f.invalidQuoting ||
            f.invalidPart ||
            f.fileLimitExceeded,
        );
      case 'MULTIPART_UNMATCHED_BOUNDARY':
        return b(f.unmatchedBoundary);
      case 'MULTIPART_BOUNDARY_QUOTED':
        return b(f.boundaryQuoted);
      case 'MULTIPART_BOUNDARY_WHITESPACE':
        return b(f.boundaryWhitespace);
      case 'MULTIPART_DATA_BEFORE':
        return b(f.dataBefore);
      case 'MULTIPART_DATA_AFTER':
        return b(f.dataAfter);
      case 'MULTIPART_HEADER_FOLDING':
        return b(f.headerFolding);
      case 'MULTIPART_LF_LINE':
        return b(f.lfLine);
      case 'MULTIPART_CRLF_LF_LINES':
        return b(f.lfLine && f.crlfLine);
      case 'MULTIPART_MISSING_SEMICOLON':
      case 'MULTIPART_SEMICOLON_MISSING':
        return b(f.missingSemicolon);
      case 'MULTIPART_INVALID_QUOTING':
        return b(f.invalidQuoting);
      case 'MULTIPART_INVALID_PART':
        return b(f.invalidPart);
      case 'MULTIPART_INVALID_HEADER_FOLDING':
        return b(f.invalidHeaderFolding);
      case 'MULTIPART_FILE_LIMIT_EXCEEDED':
        return b(f.fileLimitExceeded);
      default:
        return undefined;
    }
  }
}
