// Engine-wide directives: SecRuleEngine, body access and limits, MIME types, component
// signatures, and the housekeeping directives real deployments carry (audit/debug logging,
// directories, PCRE limits, ...), which are accepted and recorded in settings.other by name.

import type { EngineMode, EngineSettings } from '../rule.js';
import { arg, type DirectiveHandler, DirectiveIssue, expectArgs } from './context.js';
import type { Directive } from './lexer.js';

/**
 * Settings before any directive. ShieldX departs from ModSecurity's defaults on two points: a
 * loaded rule set is enforced (SecRuleEngine On) and request bodies are inspected
 * (SecRequestBodyAccess On) unless the configuration says otherwise. Limits are ModSecurity's.
 */
export const DEFAULT_SETTINGS: Readonly<EngineSettings> = Object.freeze({
  ruleEngine: 'On',
  requestBodyAccess: true,
  responseBodyAccess: false,
  requestBodyLimit: 134217728,
  requestBodyNoFilesLimit: 1048576,
  requestBodyLimitAction: 'Reject',
  responseBodyLimit: 524288,
  responseBodyLimitAction: 'Reject',
  responseBodyMimeTypes: Object.freeze(['text/plain', 'text/html']) as string[],
  argumentsLimit: 1000,
  componentSignatures: Object.freeze([]) as unknown as string[],
  collectionTimeout: 3600,
  other: Object.freeze({}) as Record<string, string>,
});

export function defaultSettings(overrides: Partial<EngineSettings> = {}): EngineSettings {
  return {
    ...DEFAULT_SETTINGS,
    responseBodyMimeTypes: [...DEFAULT_SETTINGS.responseBodyMimeTypes],
    componentSignatures: [],
    other: {},
    ...overrides,
  };
}

function oneOf<T extends string>(d: Directive, values: readonly T[]): T {
  expectArgs(d, 1, 1);
  const a = arg(d, 0);
  const found = values.find((v) => v.toLowerCase() === a.value.toLowerCase());
  if (found === undefined) throw new DirectiveIssue(`${d.name} takes ${values.join('|')}, got '${a.value}'`, a.line);
  return found;
}

function onOff(d: Directive): boolean {
  return oneOf(d, ['On', 'Off'] as const) === 'On';
}

function bytes(d: Directive): number {
  expectArgs(d, 1, 1);
  const a = arg(d, 0);
  if (!/^\d+$/.test(a.value)) throw new DirectiveIssue(`${d.name} takes a number, got '${a.value}'`, a.line);
  const n = Number(a.value);
  if (!Number.isSafeInteger(n)) throw new DirectiveIssue(`${d.name}: ${a.value} is too large`, a.line);
  return n;
}

const LIMIT_ACTIONS = ['Reject', 'ProcessPartial'] as const;

export const SETTINGS_HANDLERS: Record<string, DirectiveHandler> = {
  SecRuleEngine: (s, d) => {
    s.settings.ruleEngine = oneOf(d, ['On', 'Off', 'DetectionOnly'] as const) as EngineMode;
  },
  SecRequestBodyAccess: (s, d) => {
    s.settings.requestBodyAccess = onOff(d);
  },
  SecResponseBodyAccess: (s, d) => {
    s.settings.responseBodyAccess = onOff(d);
  },
  SecRequestBodyLimit: (s, d) => {
    s.settings.requestBodyLimit = bytes(d);
  },
  SecRequestBodyNoFilesLimit: (s, d) => {
    s.settings.requestBodyNoFilesLimit = bytes(d);
  },
  SecRequestBodyLimitAction: (s, d) => {
    s.settings.requestBodyLimitAction = oneOf(d, LIMIT_ACTIONS);
  },
  SecResponseBodyLimit: (s, d) => {
    s.settings.responseBodyLimit = bytes(d);
  },
  SecResponseBodyLimitAction: (s, d) => {
    s.settings.responseBodyLimitAction = oneOf(d, LIMIT_ACTIONS);
  },
  SecResponseBodyMimeType: (s, d) => {
    expectArgs(d, 1, Number.POSITIVE_INFINITY);
    if (!s.mimeTypesSet) s.settings.responseBodyMimeTypes = [];
    s.mimeTypesSet = true;
    for (const a of d.args) {
      for (const t of a.value.split(/\s+/)) {
        const type = t.toLowerCase();
        if (type !== '' && !s.settings.responseBodyMimeTypes.includes(type)) s.settings.responseBodyMimeTypes.push(type);
      }
    }
  },
  SecResponseBodyMimeTypesClear: (s, d) => {
    expectArgs(d, 0, 0);
    s.settings.responseBodyMimeTypes = [];
    s.mimeTypesSet = true;
  },
  SecArgumentsLimit: (s, d) => {
    s.settings.argumentsLimit = bytes(d);
  },
  SecCollectionTimeout: (s, d) => {
    s.settings.collectionTimeout = bytes(d);
  },
  SecComponentSignature: (s, d) => {
    expectArgs(d, 1, 1);
    s.settings.componentSignatures.push(arg(d, 0).value);
  },
};

/** Directives with no effect on rule evaluation here: recorded in settings.other (last one wins). */
const RECORDED = [
  'SecArgumentSeparator',
  'SecAuditEngine',
  'SecAuditLog',
  'SecAuditLog2',
  'SecAuditLogDirMode',
  'SecAuditLogFileMode',
  'SecAuditLogFormat',
  'SecAuditLogParts',
  'SecAuditLogRelevantStatus',
  'SecAuditLogStorageDir',
  'SecAuditLogType',
  'SecCacheTransformations',
  'SecChrootDir',
  'SecConnEngine',
  'SecConnReadStateLimit',
  'SecConnWriteStateLimit',
  'SecContentInjection',
  'SecCookieFormat',
  'SecCookieV0Separator',
  'SecDataDir',
  'SecDebugLog',
  'SecDebugLogLevel',
  'SecDisableBackendCompression',
  'SecGeoLookupDb',
  'SecGsbLookupDb',
  'SecGuardianLog',
  'SecHashEngine',
  'SecHashKey',
  'SecHashMethodPm',
  'SecHashMethodRx',
  'SecHashParam',
  'SecHttpBlKey',
  'SecInterceptOnError',
  'SecPcreMatchLimit',
  'SecPcreMatchLimitRecursion',
  'SecReadStateLimit',
  'SecRequestBodyInMemoryLimit',
  'SecRequestBodyJsonDepthLimit',
  'SecRuleInheritance',
  'SecRulePerfTime',
  'SecSensorId',
  'SecServerSignature',
  'SecStatusEngine',
  'SecStreamInBodyInspection',
  'SecStreamOutBodyInspection',
  'SecTmpDir',
  'SecTmpSaveUploadedFiles',
  'SecUnicodeCodePage',
  'SecUnicodeMapFile',
  'SecUploadDir',
  'SecUploadFileLimit',
  'SecUploadFileMode',
  'SecUploadKeepFiles',
  'SecWebAppId',
  'SecWriteStateLimit',
  'SecXmlExternalEntity',
];

export const RECORDED_HANDLERS: Record<string, DirectiveHandler> = Object.fromEntries(
  RECORDED.map((name) => [
    name,
    (s, d) => {
      s.settings.other[name] = d.args.map((a) => a.value).join(' ');
    },
  ]),
);

/** Directives refused with a reason rather than "unknown". */
export const REFUSED: Record<string, string> = {
  SecRuleScript: 'SecRuleScript is not supported: Lua scripts are never run',
  SecRemoteRules: 'SecRemoteRules is not supported: rules are never fetched over the network',
  SecRemoteRulesFailAction: 'SecRemoteRulesFailAction is not supported: rules are never fetched over the network',
};
