// The embedded default configuration `shieldx up` uses when no config file is given:
// HTTP on 8080, HTTPS (HTTP/2 + HTTP/1.1, TLS 1.3, generated development certificate) on 8443,
// admin on 127.0.0.1:9090, SQLite + in-memory key-value, in front of the bundled demo app.
export function defaultConfigYaml(demoUrl: string): string {
  return `# ShieldX embedded default configuration (shieldx config print-default)
version: 1
data_dir: .shieldx
listeners:
  - name: http
    address: 127.0.0.1:8080
    protocol: http
  - name: https
    address: 127.0.0.1:8443
    protocol: https
    tls:
      min_version: TLSv1.3
      http2: true
admin:
  address: 127.0.0.1:9090
upstreams:
  demo:
    targets: [${JSON.stringify(demoUrl)}]
    balancer: round_robin
    health_check:
      path: /healthz
      interval: 5s
routes:
  - name: demo
    match:
      path: /
    upstream: demo
    rate_limits:
      - key: ip
        rate: 50
        per: 1s
        burst: 100
    access_rules:
      default: allow
      rules:
        - action: deny
          path: /admin
          reason: the admin area is not exposed
`;
}
