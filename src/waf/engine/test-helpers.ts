// Shared by the engine's *.test.ts files: rule sets from SecLang text (through the real loader),
// requests, and a driver that runs a transaction through every phase.

import { Buffer } from 'node:buffer';
import '../operators/index.js';
import type { EngineSettings, RuleSet } from '../rule.js';
import { loadRuleSet } from '../seclang/index.js';
import '../transformations/index.js';
import { WafEngine } from './engine.js';
import type { Transaction } from './transaction.js';
import type { EngineOptions, WafRequest, WafResponse } from './types.js';

export function rules(text: string, settings?: Partial<EngineSettings>): RuleSet {
  return loadRuleSet({ text, file: 'test.conf' }, { settings });
}

export function engine(text: string, opts?: EngineOptions, settings?: Partial<EngineSettings>): WafEngine {
  return new WafEngine(rules(text, settings), opts);
}

export function request(over: Partial<WafRequest> & { bodyText?: string } = {}): WafRequest {
  const { bodyText, ...rest } = over;
  return {
    method: 'GET',
    uri: '/',
    protocol: 'HTTP/1.1',
    headers: [['Host', 'example.com']],
    remoteAddr: '192.0.2.1',
    remotePort: 40000,
    serverAddr: '192.0.2.10',
    serverPort: 80,
    ...(bodyText !== undefined ? { body: Buffer.from(bodyText, 'latin1') } : {}),
    ...rest,
  };
}

export function response(over: Partial<WafResponse> & { bodyText?: string } = {}): WafResponse {
  const { bodyText, ...rest } = over;
  return {
    status: 200,
    protocol: 'HTTP/1.1',
    headers: [['Content-Type', 'text/html']],
    ...(bodyText !== undefined ? { body: Buffer.from(bodyText, 'latin1') } : {}),
    ...rest,
  };
}

/** Runs every phase (stopping at an interruption, then logging) and returns the transaction. */
export function run(e: WafEngine, req: WafRequest, res: WafResponse = response()): Transaction {
  const tx = e.newTransaction();
  const steps = [
    () => tx.processRequestHeaders(req),
    () => tx.processRequestBody(),
    () => tx.processResponseHeaders(res),
    () => tx.processResponseBody(),
  ];
  for (const step of steps) {
    const it = step();
    if (it !== undefined && it.action !== 'allow') break;
  }
  tx.processLogging();
  return tx;
}

export function ids(tx: Transaction): number[] {
  return tx.matchedRules.map((m) => m.id);
}
