// `shieldx up`: run the gateway (single process, or a primary with N worker processes sharing the
// listeners), the admin listener, hot reload on file change and SIGHUP, graceful shutdown.
import cluster, { type Worker } from 'node:cluster';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AggregatorRegistry } from 'prom-client';
import { type AdminServer, startAdminServer } from '../admin/server.js';
import { defaultConfigYaml } from '../config/defaults.js';
import { ConfigError, type LoadedConfig, loadConfigFile, parseConfig } from '../config/load.js';
import { watchConfigFile, watchPaths } from '../config/watch.js';
import { type DemoApp, startDemoApp } from '../demo/app.js';
import { Gateway } from '../gateway/gateway.js';
import { ensureDevCertificate } from '../gateway/tls.js';
import { validateConfig } from '../gateway/validate.js';
import { listConfigRevisions, recordConfigRevision } from '../store/config-revisions.js';
import { type Stores, openStores } from '../store/index.js';
import { type Logger, createLogger } from '../telemetry/log.js';
import { metrics, registry } from '../telemetry/metrics.js';

export interface UpOptions {
  config?: string;
  workers?: number;
  /** Start the bundled demo app (default: only when running the embedded default config). */
  demo?: boolean;
  demoPort?: number;
  env?: NodeJS.ProcessEnv;
  /** Tests: don't install signal handlers. */
  signals?: boolean;
  admin?: boolean;
}

export interface Running {
  gateway: Gateway;
  admin?: AdminServer;
  demo?: DemoApp;
  loaded: LoadedConfig;
  /** Reload from the config source; resolves to the error message when rejected. */
  /** Re-read the config; `force` rebuilds even when the config file is unchanged (policy files changed). */
  reload(force?: boolean): Promise<string | undefined>;
  stop(): Promise<void>;
}

interface ConfigSource {
  file?: string;
  load(): LoadedConfig;
}

function resolveSource(opts: UpOptions, demoUrl: () => string | undefined): ConfigSource {
  const env = opts.env ?? process.env;
  const file = opts.config ?? (existsSync('shieldx.yaml') ? 'shieldx.yaml' : undefined);
  if (file) return { file, load: () => loadConfigFile(file, env) };
  return {
    load: () => parseConfig(defaultConfigYaml(demoUrl() ?? 'http://127.0.0.1:3000'), '(embedded default)', env),
  };
}

function dataDirOf(loaded: LoadedConfig): string {
  const d = loaded.config.data_dir;
  return path.isAbsolute(d) || !loaded.source.startsWith('(') ? path.resolve(loaded.baseDir, d) : path.resolve(d);
}

/** Start everything in this process (single-process mode, and each worker of a multi-process run). */
export async function startInProcess(opts: UpOptions, log?: Logger): Promise<Running> {
  const env = opts.env ?? process.env;
  let demo: DemoApp | undefined;
  const embedded = !opts.config && !existsSync('shieldx.yaml');
  if (opts.demo ?? embedded) {
    const port = opts.demoPort ?? Number(env.SHIELDX_DEMO_PORT ?? (cluster.isWorker ? 0 : 3000));
    if (!(cluster.isWorker && env.SHIELDX_DEMO_URL)) demo = await startDemoApp(port);
  }
  const demoUrl = () => env.SHIELDX_DEMO_URL ?? demo?.url;
  const source = resolveSource(opts, demoUrl);
  let loaded = source.load();
  const logger = log ?? createLogger(loaded.config.logging.level);
  const dataDir = dataDirOf(loaded);
  let stores: Stores;
  try {
    stores = await openStores(loaded.config.store, dataDir, logger);
  } catch (e) {
    await demo?.close();
    throw e;
  }
  let gateway: Gateway;
  try {
    gateway = new Gateway(loaded, stores, logger, dataDir);
    await gateway.start();
  } catch (e) {
    await stores.close();
    await demo?.close();
    throw e;
  }
  if (!cluster.isWorker) await recordRevision(stores, loaded, 'applied', undefined, logger);
  let admin: AdminServer | undefined;
  if ((opts.admin ?? true) && loaded.config.admin.enabled && !cluster.isWorker) {
    admin = await startAdminServer(
      loaded.config.admin.address,
      {
        metrics: async () => ({ text: await registry.metrics(), contentType: registry.contentType }),
        notReady: async () => readiness(gateway, stores),
        config: () => summary(loaded),
        revisions: (limit) => listConfigRevisions(stores.sql, { limit }),
        policy: () => gateway.generation.policy?.prepared,
      },
      logger,
    );
  }

  let reloading: Promise<string | undefined> | undefined;
  const reload = async (force = false): Promise<string | undefined> => {
    // Serialise reloads: a burst of file events applies the newest content once.
    while (reloading) await reloading;
    reloading = (async () => {
      let next: LoadedConfig;
      try {
        next = source.load();
        // An unchanged config file is skipped unless policy files changed (force).
        if (next.sha256 === loaded.sha256 && !force) return undefined;
        await gateway.reload(next);
      } catch (e) {
        const msg = e instanceof ConfigError ? e.message : `reload failed: ${(e as Error).message}`;
        metrics.configReloads.labels('rejected').inc();
        logger.error({ source: source.file }, `configuration rejected, the previous one keeps serving: ${msg}`);
        if (!cluster.isWorker) await recordRevision(stores, undefined, 'rejected', msg, logger, source.file);
        return msg;
      }
      loaded = next;
      rewatchPolicy();
      metrics.configReloads.labels('applied').inc();
      logger.info({ sha256: next.sha256, source: next.source }, 'configuration reloaded');
      if (!cluster.isWorker) await recordRevision(stores, next, 'applied', undefined, logger);
      return undefined;
    })();
    try {
      return await reloading;
    } finally {
      reloading = undefined;
    }
  };

  const unwatchConfig = source.file && !cluster.isWorker ? watchConfigFile(source.file, () => void reload()) : undefined;
  let policyRoots = '';
  let unwatchPolicy: (() => void) | undefined;
  // (Re)arm the policy watcher when the configured policy paths change.
  function rewatchPolicy(): void {
    const set = cluster.isWorker ? undefined : gateway.generation.policy;
    const roots = set && loaded.config.policy.watch ? set.roots.join('\0') : '';
    if (roots === policyRoots) return;
    unwatchPolicy?.();
    policyRoots = roots;
    unwatchPolicy = roots ? watchPaths(roots.split('\0'), () => void reload(true)) : undefined;
  }
  rewatchPolicy();
  const unwatch = () => {
    unwatchConfig?.();
    unwatchPolicy?.();
  };
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      unwatch?.();
      await admin?.close();
      await gateway.stop();
      await stores.close();
      await demo?.close();
    })());
  return {
    gateway,
    admin,
    demo,
    get loaded() {
      return loaded;
    },
    reload,
    stop,
  };
}

async function readiness(gateway: Gateway, stores: Stores): Promise<string[]> {
  const reasons: string[] = [];
  if (!gateway.ready) reasons.push('gateway listeners are not serving');
  try {
    await stores.sql.db.selectFrom('shieldx_meta').select('key').limit(1).execute();
  } catch (e) {
    reasons.push(`SQL store: ${(e as Error).message}`);
  }
  return reasons;
}

function summary(loaded: LoadedConfig) {
  return {
    sha256: loaded.sha256,
    source: loaded.source,
    listeners: loaded.config.listeners.map((l) => ({ name: l.name, protocol: l.protocol, address: l.address })),
    routes: loaded.config.routes.map((r) => r.name),
  };
}

async function recordRevision(
  stores: Stores,
  loaded: LoadedConfig | undefined,
  status: 'applied' | 'rejected',
  error: string | undefined,
  log: Logger,
  file?: string,
): Promise<void> {
  try {
    await recordConfigRevision(stores.sql, {
      sha256: loaded?.sha256 ?? '',
      source: loaded?.source ?? file ?? '(unknown)',
      status,
      error,
    });
  } catch (e) {
    log.warn({ err: e }, 'could not record the configuration revision');
  }
}

function banner(r: Running, log: Logger): void {
  const urls = r.gateway.listenerUrls();
  log.info({ listeners: urls, admin: r.admin?.url, demo: r.demo?.url, config: r.loaded.source }, 'shieldx ready');
  const lines = ['', 'ShieldX is running.'];
  for (const u of urls) lines.push(`  ${u.protocol === 'https' ? 'HTTPS  ' : 'HTTP   '} ${u.url}/   (listener "${u.name}")`);
  if (r.admin) {
    lines.push(`  admin   ${r.admin.url}/healthz  ${r.admin.url}/readyz  ${r.admin.url}/metrics`);
  }
  if (r.demo) lines.push(`  demo app (upstream) ${r.demo.url}/`);
  lines.push(`  config  ${r.loaded.source}`, '');
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** The `shieldx up` command. Resolves when the process should exit. */
export async function up(opts: UpOptions): Promise<void> {
  const workers = opts.workers ?? 1;
  if (workers > 1 && cluster.isPrimary) return runPrimary(opts, workers);
  const r = await startInProcess(opts);
  const log = createLogger(r.loaded.config.logging.level);
  if (cluster.isWorker) {
    // prom-client answers the primary's aggregation requests only once an AggregatorRegistry exists
    // in the worker, and then from the registries named here (ours is not the global one).
    AggregatorRegistry.setRegistries([registry]);
    new AggregatorRegistry();
    process.on('message', (m: { type?: string }) => {
      if (m?.type === 'reload') void r.reload(true).then((err) => process.send?.({ type: 'reloaded', error: err }));
      if (m?.type === 'shutdown') void r.stop().then(() => process.exit(0));
    });
    process.send?.({ type: 'ready', listeners: r.gateway.listenerUrls() });
    process.on('SIGTERM', () => void r.stop().then(() => process.exit(0)));
    process.on('SIGINT', () => undefined); // the primary decides
    return;
  }
  banner(r, log);
  process.on('SIGHUP', () => void r.reload(true));
  const shutdown = (sig: string) => {
    log.info({ signal: sig }, 'shutting down: draining connections');
    void r.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/**
 * Primary of a multi-process run: validates the config, runs the demo app and the admin listener
 * (metrics aggregated over workers), forks workers that share the listening sockets, forwards reloads.
 */
async function runPrimary(opts: UpOptions, n: number): Promise<void> {
  const env = opts.env ?? process.env;
  const embedded = !opts.config && !existsSync('shieldx.yaml');
  const demo = (opts.demo ?? embedded) ? await startDemoApp(opts.demoPort ?? Number(env.SHIELDX_DEMO_PORT ?? 3000)) : undefined;
  const source = resolveSource(opts, () => demo?.url);
  let loaded = source.load();
  const log = createLogger(loaded.config.logging.level);
  // The primary prepares the policy set too: the admin listener's OPA Data API runs here.
  let policySet = await validateConfig(loaded);
  const stores = await openStores(loaded.config.store, dataDirOf(loaded), log);
  await recordRevision(stores, loaded, 'applied', undefined, log);
  // Make the development certificate once here, so workers don't race to write it.
  if (loaded.config.listeners.some((l) => l.protocol === 'https' && !l.tls?.cert)) {
    await ensureDevCertificate(dataDirOf(loaded), log);
  }
  // Let the kernel spread connections over the workers (like nginx's accept), not the primary.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ args: process.argv.slice(2), silent: false });
  const aggregator = new AggregatorRegistry();
  const workers = new Set<Worker>();
  let ready = 0;
  let stopping = false;
  let listeners: unknown;
  const fork = () => {
    const w = cluster.fork({ ...env, SHIELDX_DEMO_URL: demo?.url ?? '', SHIELDX_WORKER: '1' });
    workers.add(w);
    w.on('message', (m: { type?: string; error?: string; listeners?: unknown }) => {
      if (m?.type === 'ready') {
        ready++;
        listeners = m.listeners;
        if (ready === n) {
          log.info({ listeners, workers: n, admin: admin?.url, demo: demo?.url }, 'shieldx ready');
          process.stderr.write(
            `\nShieldX is running with ${n} workers: ${JSON.stringify(listeners)}\n  admin ${admin?.url ?? '(disabled)'}\n`,
          );
        }
      }
      if (m?.type === 'reloaded' && m.error) log.error({ worker: w.id }, `worker rejected the configuration: ${m.error}`);
    });
    w.on('exit', (code, signal) => {
      workers.delete(w);
      if (!stopping) {
        log.error({ worker: w.id, code, signal }, 'worker exited; starting a new one');
        ready--;
        fork();
      }
    });
  };
  // The admin listener first: the workers' 'ready' messages read `admin`.
  const admin = loaded.config.admin.enabled
    ? await startAdminServer(
        loaded.config.admin.address,
        {
          metrics: async () => {
            const [agg, own] = await Promise.all([aggregator.clusterMetrics(), registry.metrics()]);
            return {
              text: `${agg}\n${own
                .split('\n')
                .filter((l) => l.startsWith('shieldx_config'))
                .join('\n')}`,
              contentType: aggregator.contentType,
            };
          },
          notReady: async () => (ready >= n && !stopping ? [] : [`${Math.max(ready, 0)}/${n} workers ready`]),
          config: () => summary(loaded),
          revisions: (limit) => listConfigRevisions(stores.sql, { limit }),
          policy: () => policySet?.prepared,
        },
        log,
      )
    : undefined;
  for (let i = 0; i < n; i++) fork();
  const reload = async () => {
    try {
      const next = source.load();
      // Compile it as the workers will, so a stage error is rejected here and not half-applied.
      policySet = await validateConfig(next, policySet);
      loaded = next;
      rewatchPolicy();
    } catch (e) {
      metrics.configReloads.labels('rejected').inc();
      log.error(`configuration rejected, the previous one keeps serving: ${(e as Error).message}`);
      void recordRevision(stores, undefined, 'rejected', (e as Error).message, log, source.file);
      return;
    }
    metrics.configReloads.labels('applied').inc();
    void recordRevision(stores, loaded, 'applied', undefined, log);
    for (const w of workers) w.send({ type: 'reload' });
  };
  const unwatchConfig = source.file ? watchConfigFile(source.file, () => void reload()) : undefined;
  let policyRoots = '';
  let unwatchPolicy: (() => void) | undefined;
  function rewatchPolicy(): void {
    const roots = policySet && loaded.config.policy.watch ? policySet.roots.join('\0') : '';
    if (roots === policyRoots) return;
    unwatchPolicy?.();
    policyRoots = roots;
    unwatchPolicy = roots ? watchPaths(roots.split('\0'), () => void reload()) : undefined;
  }
  rewatchPolicy();
  const unwatch = () => {
    unwatchConfig?.();
    unwatchPolicy?.();
  };
  process.on('SIGHUP', () => void reload());
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    unwatch?.();
    log.info('shutting down: draining workers');
    for (const w of workers) w.send({ type: 'shutdown' });
    const force = setTimeout(() => {
      for (const w of workers) w.kill('SIGKILL');
    }, loaded.config.shutdown_timeout + 2000);
    force.unref();
    const check = setInterval(async () => {
      if (workers.size > 0) return;
      clearInterval(check);
      await admin?.close();
      await stores.close();
      await demo?.close();
      process.exit(0);
    }, 50);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
