// Test helpers for tests that need a real service (PostgreSQL, Redis, NATS) or ../shared.
// Outside CI a missing dependency skips the test with a printed reason; with CI=true it fails.
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const IN_CI = process.env.CI === 'true';

export const POSTGRES_URL = process.env.SHIELDX_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.SHIELDX_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/**
 * Resolve to undefined when the service is reachable, or to a skip reason. In CI an unreachable
 * service throws, so the test fails instead of skipping.
 */
export async function serviceSkipReason(url: string): Promise<string | undefined> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol.startsWith('postgres') ? 5432 : u.protocol === 'redis:' ? 6379 : 4222));
  if (await reachable(u.hostname, port)) return undefined;
  const reason = `${u.protocol.replace(':', '')} at ${u.hostname}:${port} is not reachable`;
  if (IN_CI) throw new Error(`${reason} (CI=true: required)`);
  console.log(`# skip: ${reason}`);
  return reason;
}

/** The repo root (works from src/ under tsx and from dist/src/ after tsc). */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}

/** ../shared beside the repo, or a skip reason (a failure with CI=true). */
export function sharedDir(): { dir?: string; skip?: string } {
  const dir = path.resolve(repoRoot(), '..', 'shared');
  if (existsSync(dir)) return { dir };
  const reason = `${dir} is absent (reference corpora are read from ../shared)`;
  if (IN_CI) throw new Error(`${reason} (CI=true: required)`);
  console.log(`# skip: ${reason}`);
  return { skip: reason };
}
