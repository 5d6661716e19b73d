/**
 * The per-request metrics (`wce_http_requests_total` and the latency histogram), kept in plain
 * arrays and turned into Prometheus samples only when scraped. prom-client validates and
 * hashes the labels on every observation, about a microsecond per request for the pair; this
 * is a Map lookup and two increments. Registered in a prom-client registry like any metric
 * (it has the `name`, `help`, `type` and `get()` a registry reads), so the text comes out the
 * same.
 *
 * @example
 *   const series = new RequestSeries(registry, [0.005, 0.05, 0.5]);
 *   series.observe('POST', '/:cenv/sql', 200, 0.004);
 */
import type { Registry } from 'prom-client';

interface Series { labels: Record<string, string>; count: number; sum: number; buckets: Float64Array }

interface Sample { value: number; labels: Record<string, string | number>; metricName?: string }

/** A metric as a prom-client registry reads it. */
interface Exposed { name: string; help: string; type: 'counter' | 'histogram'; aggregator: 'sum'; get(): Promise<{ name: string; help: string; type: string; aggregator: 'sum'; values: Sample[] }> }

export class RequestSeries {
  private readonly series = new Map<string, Series>();
  private readonly bounds: readonly number[];

  constructor(registry: Registry, bounds: readonly number[]) {
    this.bounds = bounds;
    const counter = this.exposed('wce_http_requests_total', 'HTTP requests answered, by route pattern and status', 'counter',
      () => [...this.series.values()].map((s) => ({ value: s.count, labels: s.labels })));
    const histogram = this.exposed('wce_http_request_duration_seconds', 'Time from request to response, by route pattern and status', 'histogram',
      () => [...this.series.values()].flatMap((s) => this.histogramSamples(s)));
    registry.registerMetric(counter as never);
    registry.registerMetric(histogram as never);
  }

  /** One answered request; `route` is the route's pattern ('' for no route). */
  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let series = this.series.get(key);
    if (!series) {
      series = { labels: { method, route: route || 'unmatched', status: String(status) }, count: 0, sum: 0, buckets: new Float64Array(this.bounds.length) };
      this.series.set(key, series);
    }
    series.count++;
    series.sum += seconds;
    const at = this.bounds.findIndex((bound) => seconds <= bound);
    if (at >= 0) series.buckets[at]++;
  }

  private histogramSamples(s: Series): Sample[] {
    const samples: Sample[] = [];
    let cumulative = 0;
    this.bounds.forEach((bound, i) => {
      cumulative += s.buckets[i];
      samples.push({ metricName: 'wce_http_request_duration_seconds_bucket', labels: { le: bound, ...s.labels }, value: cumulative });
    });
    samples.push({ metricName: 'wce_http_request_duration_seconds_bucket', labels: { le: '+Inf', ...s.labels }, value: s.count });
    samples.push({ metricName: 'wce_http_request_duration_seconds_sum', labels: s.labels, value: s.sum });
    samples.push({ metricName: 'wce_http_request_duration_seconds_count', labels: s.labels, value: s.count });
    return samples;
  }

  private exposed(name: string, help: string, type: 'counter' | 'histogram', values: () => Sample[]): Exposed {
    return { name, help, type, aggregator: 'sum', get: async () => ({ name, help, type, aggregator: 'sum', values: values() }) };
  }
}
