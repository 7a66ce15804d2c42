// Request body handling at the start of phase 2: body limits, then the body processor chosen in
// phase 1 (Content-Type or ctl:requestBodyProcessor) fills ARGS_POST / FILES / XML. Parse problems
// set REQBODY_ERROR and its message; nothing here throws for any input.

import type { EngineSettings } from '../rule.js';
import { parseJsonBody } from './json.js';
import { parseMultipart } from './multipart.js';
import type { TxState } from './state.js';
import { parseUrlEncoded } from './urlencoded.js';
import { parseXml } from './xml.js';

const DEFAULT_BODY_LIMIT = 13_107_200;
const DEFAULT_NOFILES_LIMIT = 131_072;
const DEFAULT_ARGS_LIMIT = 1000;
const DEFAULT_JSON_DEPTH = 10_000;
const DEFAULT_FILE_LIMIT = 100;

/** A numeric setting from `settings.other`, looked up by any of its spellings. */
export function otherNumber(settings: EngineSettings, names: string[], dflt: number): number {
  const other = settings.other ?? {};
  for (const [k, v] of Object.entries(other)) {
    if (names.some((n) => n.toLowerCase() === k.toLowerCase())) {
      const x = Number.parseInt(v, 10);
      if (Number.isFinite(x) && x > 0) return x;
    }
  }
  return dflt;
}

export function positive(n: number | undefined, dflt: number): number {
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : dflt;
}

export function argumentsLimit(settings: EngineSettings): number {
  return positive(settings.argumentsLimit, DEFAULT_ARGS_LIMIT);
}

export interface BodyOutcome {
  /** The body exceeded a limit whose action is Reject. */
  reject: boolean;
}

export function processBody(
  t: TxState,
  settings: EngineSettings,
  bodyAccess: boolean,
  maxValueLength: number,
  /** False in DetectionOnly: an over-long body is then processed partially instead. */
  canReject: boolean,
): BodyOutcome {
  const buf = t.req?.body;
  const len = buf?.length ?? 0;
  t.bodyLength = len;
  if (!bodyAccess || buf === undefined || len === 0) return { reject: false };

  const limit = positive(settings.requestBodyLimit, DEFAULT_BODY_LIMIT);
  const noFilesLimit = positive(settings.requestBodyNoFilesLimit, DEFAULT_NOFILES_LIMIT);
  const reject = canReject && settings.requestBodyLimitAction !== 'ProcessPartial';
  let usable = len;
  if (len > limit) {
    t.inboundDataError = true;
    if (reject) return { reject: true };
    usable = limit;
  }
  // Bodies without files count against the (smaller) no-files limit.
  if (t.bodyProcessor !== 'MULTIPART' && usable > noFilesLimit) {
    t.inboundDataError = true;
    if (reject) return { reject: true };
    usable = noFilesLimit;
  }
  const body = buf.toString('latin1', 0, usable);
  t.body = body;
  t.bodyLength = body.length;
  t.invalidateFullRequest();

  const argLimit = argumentsLimit(settings);
  const room = Math.max(0, argLimit - t.argCount);
  const fail = (msg: string): void => {
    t.reqbodyError = true;
    if (t.reqbodyErrorMsg === '') t.reqbodyErrorMsg = msg;
  };

  switch (t.bodyProcessor) {
    case 'URLENCODED': {
      const { pairs, truncated } = parseUrlEncoded(body, room);
      for (const p of pairs) t.addArg('POST', p.name, p.value);
      if (truncated) fail(`Arguments limit exceeded (${argLimit})`);
      break;
    }
    case 'JSON': {
      const depth = otherNumber(settings, ['SecRequestBodyJsonDepthLimit', 'requestBodyJsonDepthLimit'], DEFAULT_JSON_DEPTH);
      const r = parseJsonBody(body, room, depth);
      for (const p of r.pairs) t.addArg('POST', p.name, p.value);
      if (r.error !== undefined) fail(`JSON parsing error: ${r.error}`);
      else if (r.truncated) fail(`Arguments limit exceeded (${argLimit})`);
      break;
    }
    case 'XML': {
      const doc = parseXml(body, argLimit);
      t.xml = doc;
      if (doc.error !== undefined) fail(doc.error);
      break;
    }
    case 'MULTIPART': {
      const ct = t.headers.first('content-type') ?? '';
      const fileLimit = otherNumber(settings, ['SecUploadFileLimit', 'uploadFileLimit'], DEFAULT_FILE_LIMIT);
      const r = parseMultipart(body, ct, { fileLimit, partLimit: Math.max(room, fileLimit) + fileLimit });
      t.multipart = r;
      let nonFileBytes = 0;
      let argsAdded = 0;
      for (const part of r.parts) {
        for (const h of part.headers) t.multipartPartHeaders.add(part.name, h);
        t.multipartName.add(part.name, part.name);
        if (part.filename !== undefined) {
          t.multipartFilename.add(part.name, part.filename);
          t.files.add(part.name, part.filename);
          t.filesNames.add(part.name, part.name);
          t.filesSizes.add(part.name, String(part.value.length));
          t.filesTmpContent.add(part.name, part.value.length > maxValueLength ? part.value.slice(0, maxValueLength) : part.value);
          t.filesCombinedSize += part.value.length;
        } else if (argsAdded < room) {
          t.addArg('POST', part.name, part.value);
          argsAdded++;
          nonFileBytes += part.value.length;
        } else {
          fail(`Arguments limit exceeded (${argLimit})`);
        }
      }
      if (r.error !== undefined) fail(r.error);
      if (nonFileBytes > noFilesLimit) {
        t.inboundDataError = true;
        if (reject) return { reject: true };
      }
      break;
    }
    default:
      break;
  }
  return { reject: false };
}
