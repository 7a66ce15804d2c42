// The shieldx.yaml schema. Every other module reads its settings from the types exported here.
import { z } from 'zod';

const DURATION_RE = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration: a number of milliseconds or a string such as "250ms", "10s", "5m", "1h". Parsed to ms. */
export const duration = z.union([z.number().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const m = DURATION_RE.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `invalid duration "${v}" (use e.g. 250ms, 10s, 5m, 1h)` });
    return z.NEVER;
  }
  return Number(m[1]) * (UNIT_MS[m[2] as string] as number);
});

const SIZE_RE = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i;
const SIZE_UNIT: Record<string, number> = {
  b: 1,
  kb: 1000,
  kib: 1024,
  mb: 1_000_000,
  mib: 1024 * 1024,
  gb: 1_000_000_000,
  gib: 1024 * 1024 * 1024,
};
/** A byte size: a number of bytes or a string such as "16KiB", "10MB". Parsed to bytes. */
export const byteSize = z.union([z.number().int().nonnegative(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return v;
  const m = SIZE_RE.exec(v.trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `invalid size "${v}" (use e.g. 8192, 16KiB, 10MB)` });
    return z.NEVER;
  }
  return Math.floor(Number(m[1]) * (SIZE_UNIT[(m[2] ?? 'b').toLowerCase()] as number));
});

/** "host:port", ":port" or a bare port number. */
export const address = z.union([z.number().int().min(0).max(65535), z.string()]).transform((v, ctx) => {
  if (typeof v === 'number') return { host: '0.0.0.0', port: v };
  const i = v.lastIndexOf(':');
  const host = i <= 0 ? '0.0.0.0' : v.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  const portStr = i < 0 ? v : v.slice(i + 1);
  const port = Number(portStr);
  if (!/^\d+$/.test(portStr) || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `invalid address "${v}" (use host:port, :port or a port number)` });
    return z.NEVER;
  }
  return { host, port };
});
export type Address = z.output<typeof address>;

const HTTP_METHOD = z.string().regex(/^[A-Z][A-Z0-9_-]*$/, 'HTTP methods are upper-case tokens');
const STATUS = z.number().int().min(100).max(599);

export const clientAuthSchema = z
  .object({
    /** none: no client certificate asked; optional: asked, identity recorded if valid; require: handshake fails without a valid one. */
    mode: z.enum(['none', 'optional', 'require']).default('none'),
    /** PEM file with the CA certificate(s) that client certificates must chain to. */
    ca: z.string().optional(),
  })
  .strict()
  .refine((v) => v.mode === 'none' || v.ca, { message: 'client_auth.ca is required when mode is optional or require' });

export const tlsSchema = z
  .object({
    /** PEM certificate chain; when cert and key are both absent a development certificate is generated in data_dir. */
    cert: z.string().optional(),
    key: z.string().optional(),
    min_version: z.enum(['TLSv1.2', 'TLSv1.3']).default('TLSv1.3'),
    /** Offer HTTP/2 via ALPN (h2, then http/1.1). */
    http2: z.boolean().default(true),
    client_auth: clientAuthSchema.prefault({ mode: 'none' }),
  })
  .strict()
  .refine((v) => Boolean(v.cert) === Boolean(v.key), { message: 'tls.cert and tls.key must be given together' });

export const listenerSchema = z
  .object({
    name: z.string().min(1),
    address,
    protocol: z.enum(['http', 'https']),
    tls: tlsSchema.optional(),
  })
  .strict();

export const limitsSchema = z
  .object({
    max_header_count: z.number().int().positive().default(100),
    max_header_bytes: byteSize.default(16 * 1024),
    max_uri_length: z.number().int().positive().default(8192),
    max_body_bytes: byteSize.default(10 * 1024 * 1024),
    /** Time allowed for the complete request head (slowloris guard). */
    header_timeout: duration.default(10_000),
    /** Time allowed for the complete request, body included. */
    request_timeout: duration.default(60_000),
    keepalive_timeout: duration.default(5_000),
    allowed_methods: z.array(HTTP_METHOD).default(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
  })
  .strict();
export type Limits = z.output<typeof limitsSchema>;

// zod's partial() keeps inner defaults, which would silently reset global limits; unwrap them instead.
const routeLimitsSchema = z
  .object(
    Object.fromEntries(
      Object.entries(limitsSchema.shape).map(([k, s]) => [k, (s as z.ZodDefault<z.ZodTypeAny>).unwrap().optional()]),
    ) as { [K in keyof typeof limitsSchema.shape]: z.ZodOptional<ReturnType<(typeof limitsSchema.shape)[K]['unwrap']>> },
  )
  .strict();

export const targetSchema = z.union([
  z.string().url(),
  z.object({ url: z.string().url(), weight: z.number().positive().default(1) }).strict(),
]);

export const healthCheckSchema = z
  .object({
    path: z.string().startsWith('/').default('/'),
    interval: duration.default(5_000),
    timeout: duration.default(1_000),
    healthy_threshold: z.number().int().positive().default(2),
    unhealthy_threshold: z.number().int().positive().default(2),
    /** Status codes counted as healthy: inclusive [min, max]. */
    expected_status: z.tuple([STATUS, STATUS]).default([200, 399]),
  })
  .strict();

export const outlierSchema = z
  .object({
    /** Consecutive failures (connect errors, timeouts, 5xx) that eject a target. */
    consecutive_failures: z.number().int().positive().default(5),
    /** Base ejection time; multiplied by the number of times the target has been ejected. */
    base_ejection_time: duration.default(30_000),
    /** Never eject more than this share of a pool's targets. */
    max_ejection_percent: z.number().min(0).max(100).default(50),
  })
  .strict();

export const circuitBreakerSchema = z
  .object({
    /** Consecutive failures that open the breaker. */
    failure_threshold: z.number().int().positive().default(5),
    /** How long the breaker stays open before letting trial requests through (half-open). */
    open_duration: duration.default(10_000),
    /** Trial requests allowed while half-open; that many successes close the breaker, one failure reopens it. */
    half_open_requests: z.number().int().positive().default(1),
  })
  .strict();

export const retrySchema = z
  .object({
    /** Extra attempts after the first one (idempotent methods only). */
    attempts: z.number().int().min(0).default(2),
    /** Retries may add at most this percentage of recent requests... */
    budget_percent: z.number().min(0).max(100).default(20),
    /** ...but at least this many retries per second are always allowed. */
    min_retries_per_second: z.number().min(0).default(3),
    backoff: duration.default(25),
  })
  .strict();

export const BALANCERS = ['round_robin', 'least_conn', 'ewma', 'p2c', 'rendezvous'] as const;

export const upstreamSchema = z
  .object({
    targets: z.array(targetSchema).min(1),
    balancer: z.enum(BALANCERS).default('round_robin'),
    /** Key expression for rendezvous hashing (see key expressions in README), e.g. "ip" or "header:x-user". */
    hash_key: z.string().default('ip'),
    connect_timeout: duration.default(5_000),
    read_timeout: duration.default(30_000),
    max_connections: z.number().int().positive().default(256),
    health_check: healthCheckSchema.optional(),
    outlier_detection: outlierSchema.prefault({}),
    circuit_breaker: circuitBreakerSchema.prefault({}),
    retries: retrySchema.prefault({}),
  })
  .strict();
export type UpstreamConfig = z.output<typeof upstreamSchema>;

export const rateLimitSchema = z
  .object({
    name: z.string().optional(),
    /** Key expression: parts joined by "+" among ip, tenant, route, header:NAME, e.g. "ip+route". */
    key: z.string().default('ip'),
    /** Tokens added per `per` interval. */
    rate: z.number().positive(),
    per: duration.refine((v) => v > 0, 'per must be greater than 0').default(1_000),
    /** Bucket capacity (defaults to rate). */
    burst: z.number().positive().optional(),
    backend: z.enum(['memory', 'redis']).default('memory'),
  })
  .strict();
export type RateLimitConfig = z.output<typeof rateLimitSchema>;

export const headerMatchSchema = z
  .object({
    name: z.string().min(1),
    /** Exact value; omit both value and regex to test presence only. */
    value: z.string().optional(),
    regex: z.string().optional(),
    present: z.boolean().optional(),
  })
  .strict();

export const accessRuleSchema = z
  .object({
    action: z.enum(['allow', 'deny']),
    cidrs: z.array(z.string()).optional(),
    methods: z.array(HTTP_METHOD).optional(),
    /** Path: without wildcards a segment-aware prefix ("/admin" covers "/admin/x", not "/administrator"); with * or ** a glob. */
    path: z.string().optional(),
    header: headerMatchSchema.optional(),
    status: STATUS.default(403),
    reason: z.string().optional(),
  })
  .strict();
export type AccessRule = z.output<typeof accessRuleSchema>;

export const accessRulesSchema = z
  .object({
    /** Action when no rule matches. */
    default: z.enum(['allow', 'deny']).default('allow'),
    rules: z.array(accessRuleSchema).default([]),
  })
  .strict();

export const actionSchema = z
  .object({
    type: z.enum(['allow', 'deny', 'tarpit']).default('allow'),
    status: STATUS.default(403),
    body: z.record(z.string(), z.unknown()).optional(),
    /** tarpit: delay before the request continues upstream (or is denied when tarpit_then is deny). */
    delay: duration.default(2_000),
    tarpit_then: z.enum(['allow', 'deny']).default('allow'),
  })
  .strict();

/** Per-route policy settings (the `policy` stage). */
export const routePolicySchema = z
  .object({
    /** Rule path of the decision document, slash or dot separated; default: policy.decision. */
    decision: z.string().min(1).optional(),
    /** What an evaluation error or an undefined decision does: deny (with on_error_status) or allow. */
    on_error: z.enum(['deny', 'allow']).optional(),
    on_error_status: STATUS.optional(),
  })
  .strict();

/** Global policy settings: where Rego policies and data come from and how they are evaluated. */
export const policySchema = z
  .object({
    /** Directories or files with .rego modules and data.json/data.yaml documents (relative to the config file). */
    paths: z.array(z.string().min(1)).default([]),
    /** Default decision rule path below data. */
    decision: z.string().min(1).default('shieldx/decision'),
    on_error: z.enum(['deny', 'allow']).default('deny'),
    on_error_status: STATUS.default(503),
    strict_builtin_errors: z.boolean().default(false),
    /** Evaluation step budget per decision (a runaway policy becomes an error, never a hang). */
    max_steps: z.number().int().min(1_000).default(1_000_000),
    /** Reload when a policy or data file changes (also on SIGHUP and config reload). */
    watch: z.boolean().default(true),
    /** Tarpit delay when a decision says tarpit without delay_ms. */
    tarpit_delay: duration.default(2_000),
  })
  .strict();
export type PolicyConfig = z.output<typeof policySchema>;

const WAF_RULE_ID = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+(-\d+)?$/, 'a rule id or an id range such as "942100-942199"'),
]);
// Exclusion values are written into generated SecLang text: no quotes or line breaks can pass.
const WAF_TEXT = z
  .string()
  .min(1)
  .regex(/^[^"\r\n\\]+$/, 'must not contain quotes, backslashes or line breaks');

/** Per-route WAF settings (the `waf` stage): a SecLang rule set (OWASP CRS or own rules) and how it is run. */
export const routeWafSchema = z
  .object({
    /**
     * SecLang files, globs or directories (relative to the config file). A directory with a rules/
     * subdirectory is a CRS installation: its crs-setup.conf(.example), then rules/*.conf. Default:
     * /usr/share/modsecurity-crs when present.
     */
    rules: z.array(z.string().min(1)).optional(),
    /** CRS paranoia level (tx.blocking_paranoia_level and tx.detection_paranoia_level). */
    paranoia_level: z.number().int().min(1).max(4).default(1),
    /** CRS anomaly score that blocks a request (tx.inbound_anomaly_score_threshold). */
    inbound_threshold: z.number().int().min(1).default(5),
    /** CRS outbound anomaly score threshold (tx.outbound_anomaly_score_threshold). */
    outbound_threshold: z.number().int().min(1).default(4),
    /** block: a WAF interruption denies with 403; detect: never blocks, only adds signals.waf. */
    mode: z.enum(['block', 'detect']).default('block'),
    exclusions: z
      .object({
        /** SecRuleRemoveById. */
        rule_ids: z.array(WAF_RULE_ID).default([]),
        /** SecRuleRemoveByTag (exact tag names). */
        tags: z.array(WAF_TEXT).default([]),
        /** SecRuleUpdateTargetById RULE "!TARGET": stop one rule from inspecting one variable. */
        targets: z
          .array(
            z
              .object({
                rule_id: WAF_RULE_ID,
                target: WAF_TEXT.regex(/^[A-Za-z_]+(:.+)?$/, 'a variable such as ARGS:password or REQUEST_COOKIES:/^sess/'),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .prefault({}),
    /** Largest request body buffered for inspection (SecRequestBodyLimit). */
    request_body_limit: byteSize.default(13_107_200),
    /** inspect: buffer and inspect request bodies (phase 2 sees ARGS_POST, REQUEST_BODY, ...); skip: headers only. */
    request_body: z.enum(['inspect', 'skip']).default('inspect'),
  })
  .strict();
export type RouteWafConfig = z.output<typeof routeWafSchema>;

export const STAGE_NAMES_DEFAULT = ['protocol_guard', 'rate_limit', 'access_rules', 'action'] as const;

export const routeSchema = z
  .object({
    name: z.string().min(1),
    match: z
      .object({
        /** Host names; "*.example.com" wildcards allowed; empty or absent = any host. */
        hosts: z.array(z.string()).default([]),
        path: z.string().startsWith('/').default('/'),
        path_type: z.enum(['prefix', 'exact', 'glob']).default('prefix'),
        methods: z.array(HTTP_METHOD).default([]),
      })
      .strict()
      .prefault({}),
    upstream: z.string().min(1),
    /** Stage order for this route; default protocol_guard, rate_limit, access_rules, action. */
    stages: z.array(z.string()).optional(),
    /** Overrides of the global limits; keys left out keep the global value (no defaults filled in here). */
    limits: routeLimitsSchema.optional(),
    rate_limits: z.array(rateLimitSchema).default([]),
    access_rules: accessRulesSchema.optional(),
    action: actionSchema.optional(),
    policy: routePolicySchema.optional(),
    waf: routeWafSchema.optional(),
    /** Strip this prefix from the path before proxying. */
    strip_prefix: z.string().optional(),
    websocket: z.boolean().default(true),
  })
  .strict();
export type RouteConfig = z.output<typeof routeSchema>;

export const configSchema = z
  .object({
    version: z.literal(1).default(1),
    data_dir: z.string().default('.shieldx'),
    listeners: z.array(listenerSchema).min(1),
    admin: z
      .object({ address: address.default({ host: '127.0.0.1', port: 9090 }), enabled: z.boolean().default(true) })
      .strict()
      .prefault({}),
    store: z
      .object({
        /** sqlite:PATH (default: sqlite:<data_dir>/shieldx.db) or postgres://... */
        database_url: z.string().optional(),
        /** redis://...; absent = in-memory key-value store. */
        redis_url: z.string().optional(),
      })
      .strict()
      .prefault({}),
    identity: z
      .object({
        /** Request header that names the tenant (trusted only from clients allowed to set it). */
        tenant_header: z.string().default('x-shieldx-tenant'),
        /** Trust X-Forwarded-For / Forwarded from these CIDRs to find the client IP. */
        trusted_proxies: z.array(z.string()).default([]),
      })
      .strict()
      .prefault({}),
    limits: limitsSchema.prefault({}),
    upstreams: z.record(z.string(), upstreamSchema),
    routes: z.array(routeSchema).min(1),
    policy: policySchema.prefault({}),
    logging: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        access_log: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    shutdown_timeout: duration.default(10_000),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const names = new Set<string>();
    cfg.listeners.forEach((l, i) => {
      if (names.has(l.name))
        ctx.addIssue({ code: 'custom', path: ['listeners', i, 'name'], message: `duplicate listener name "${l.name}"` });
      names.add(l.name);
      if (l.protocol === 'http' && l.tls)
        ctx.addIssue({ code: 'custom', path: ['listeners', i, 'tls'], message: 'tls is only valid for https listeners' });
    });
    const routeNames = new Set<string>();
    cfg.routes.forEach((r, i) => {
      if (routeNames.has(r.name))
        ctx.addIssue({ code: 'custom', path: ['routes', i, 'name'], message: `duplicate route name "${r.name}"` });
      routeNames.add(r.name);
      if (!(r.upstream in cfg.upstreams))
        ctx.addIssue({
          code: 'custom',
          path: ['routes', i, 'upstream'],
          message: `unknown upstream "${r.upstream}" (defined: ${Object.keys(cfg.upstreams).join(', ') || 'none'})`,
        });
    });
  });

export type ShieldxConfig = z.output<typeof configSchema>;
export type ListenerConfig = z.output<typeof listenerSchema>;
export type TlsConfig = z.output<typeof tlsSchema>;
