// Counter and histogram for the per-request hot path. prom-client hashes the label set on every
// observation; these resolve a label set to a child once (cached) and then only add numbers.
// They plug into a prom-client Registry (name/help/type/aggregator/get/reset) so exposition and
// multi-process aggregation stay prom-client's.
import type { Registry } from 'prom-client';

interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

interface MetricSnapshot {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: MetricValue[];
  aggregator: 'sum';
}

abstract class FastMetric<Child> {
  protected readonly children = new Map<string, { labels: Record<string, string>; child: Child }>();
  readonly aggregator = 'sum' as const;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    registers: Registry[],
  ) {
    for (const r of registers) r.registerMetric(this as never);
  }

  protected abstract make(): Child;

  /** The child for these label values (same order as labelNames); cached. */
  labels(...values: string[]): Child {
    const key = values.length === 1 ? (values[0] as string) : values.join('\u0000');
    const hit = this.children.get(key);
    if (hit !== undefined) return hit.child;
    if (values.length !== this.labelNames.length) {
      throw new Error(`${this.name}: expected ${this.labelNames.length} label values, got ${values.length}`);
    }
    const labels: Record<string, string> = {};
    this.labelNames.forEach((n, i) => {
      labels[n] = values[i] as string;
    });
    const child = this.make();
    this.children.set(key, { labels, child });
    return child;
  }

  reset(): void {
    this.children.clear();
  }
}

export class FastCounterChild {
  value = 0;
  inc(by = 1): void {
    this.value += by;
  }
}

export class FastCounter extends FastMetric<FastCounterChild> {
  readonly type = 'counter' as const;

  protected make(): FastCounterChild {
    return new FastCounterChild();
  }

  get(): MetricSnapshot {
    const values: MetricValue[] = [];
    for (const { labels, child } of this.children.values()) values.push({ labels, value: child.value });
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

export class FastHistogramChild {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: Float64Array) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(v: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > (b[i] as number)) i++;
    if (i < b.length) (this.counts as Float64Array)[i]++;
    this.sum += v;
    this.count++;
  }
}

export class FastHistogram extends FastMetric<FastHistogramChild> {
  readonly type = 'histogram' as const;
  private readonly bounds: Float64Array;

  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[], registers: Registry[]) {
    super(name, help, labelNames, registers);
    this.bounds = Float64Array.from([...buckets].sort((a, b) => a - b));
  }

  protected make(): FastHistogramChild {
    return new FastHistogramChild(this.bounds);
  }

  get(): MetricSnapshot {
    const values: MetricValue[] = [];
    for (const { labels, child } of this.children.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += child.counts[i] as number;
        values.push({
          labels: { ...labels, le: this.bounds[i] as number },
          value: cumulative,
          metricName: `${this.name}_bucket`,
        });
      }
      values.push({ labels: { ...labels, le: '+Inf' }, value: child.count, metricName: `${this.name}_bucket` });
      values.push({ labels, value: child.sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: child.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}
