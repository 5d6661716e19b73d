/**
 * A Prometheus histogram (and, if asked, a counter of the same observations) kept in plain
 * arrays and turned into samples only when scraped. prom-client validates and hashes the
 * labels on every observation, about a microsecond each; these are observed on every request
 * (the request's route and status, the sandbox op it ran), where that adds up, so this is a
 * Map lookup and two increments. Registered in a prom-client registry like any metric (it has
 * the `name`, `help`, `type` and `get()` a registry reads), so the text comes out the same.
 *
 * @example
 *   const ops = new SeriesHistogram(registry, { name: 'wce_op_seconds', help: '…', labels: ['op'], buckets: [0.01, 0.1] });
 *   ops.observe(['sql'], 0.004);
 */
import type { Registry } from 'prom-client';

interface Series { labels: Record<string, string>; count: number; sum: number; buckets: Float64Array }

interface Sample { value: number; labels: Record<string, string | number>; metricName?: string }

export interface SeriesOptions {
  name: string;
  help: string;
  labels: readonly string[];
  buckets: readonly number[];
  /** Also expose the number of observations as this counter (`…_total`). */
  counter?: { name: string; help: string };
}

export class SeriesHistogram {
  private readonly series = new Map<string, Series>();
  private readonly options: SeriesOptions;

  constructor(registry: Registry, options: SeriesOptions) {
    this.options = options;
    const { name, help, counter } = options;
    if (counter) {
      registry.registerMetric(exposed(counter.name, counter.help, 'counter', () => [...this.series.values()].map((s) => ({ value: s.count, labels: s.labels }))) as never);
    }
    registry.registerMetric(exposed(name, help, 'histogram', () => [...this.series.values()].flatMap((s) => this.samples(s))) as never);
  }

  /** One observation; `values` in the order of the label names. */
  observe(values: readonly string[], value: number): void {
    this.record(this.seriesOf(values), value);
  }

  /**
   * An observer of one series, to keep where the labels are known ahead (a route's pattern):
   * each observation is then no lookup at all.
   */
  observer(values: readonly string[]): (value: number) => void {
    const series = this.seriesOf(values);
    return (value) => this.record(series, value);
  }

  private seriesOf(values: readonly string[]): Series {
    const key = values.join('\u0000');
    let series = this.series.get(key);
    if (!series) {
      const labels = Object.fromEntries(this.options.labels.map((label, i) => [label, values[i]]));
      series = { labels, count: 0, sum: 0, buckets: new Float64Array(this.options.buckets.length) };
      this.series.set(key, series);
    }
    return series;
  }

  private record(series: Series, value: number): void {
    series.count++;
    series.sum += value;
    const { buckets } = this.options;
    for (let i = 0; i < buckets.length; i++) {
      if (value <= buckets[i]) {
        series.buckets[i]++;
        break;
      }
    }
  }

  private samples(s: Series): Sample[] {
    const { name, buckets } = this.options;
    const samples: Sample[] = [];
    let cumulative = 0;
    buckets.forEach((bound, i) => {
      cumulative += s.buckets[i];
      samples.push({ metricName: `${name}_bucket`, labels: { le: bound, ...s.labels }, value: cumulative });
    });
    samples.push({ metricName: `${name}_bucket`, labels: { le: '+Inf', ...s.labels }, value: s.count });
    samples.push({ metricName: `${name}_sum`, labels: s.labels, value: s.sum });
    samples.push({ metricName: `${name}_count`, labels: s.labels, value: s.count });
    return samples;
  }
}

/** A metric as a prom-client registry reads it. */
function exposed(name: string, help: string, type: 'counter' | 'histogram', values: () => Sample[]) {
  return { name, help, type, aggregator: 'sum' as const, get: async () => ({ name, help, type, aggregator: 'sum' as const, values: values() }) };
}
