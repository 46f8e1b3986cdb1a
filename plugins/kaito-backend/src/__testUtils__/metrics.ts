import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  MetricAttributes,
  MetricsService,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';

/**
 * What the plugin's instruments recorded, read back the way an exporter
 * would: counter sums and histogram values, per instrument and attributes.
 */
export class RecordedMetrics {
  readonly #sums = new Map<string, number>();
  readonly #values = new Map<string, number[]>();

  static key(name: string, attributes?: MetricAttributes) {
    const attrs = Object.entries(attributes ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(',');
    return attrs ? `${name}{${attrs}}` : name;
  }

  add(name: string, value: number, attributes?: MetricAttributes) {
    const k = RecordedMetrics.key(name, attributes);
    this.#sums.set(k, (this.#sums.get(k) ?? 0) + value);
  }

  record(name: string, value: number, attributes?: MetricAttributes) {
    const k = RecordedMetrics.key(name, attributes);
    this.#values.set(k, [...(this.#values.get(k) ?? []), value]);
  }

  /**
   * The sum of a counter or up-down counter (0 when never touched), over
   * every series whose attributes include `attributes`.
   */
  sum(name: string, attributes?: MetricAttributes): number {
    let total = 0;
    for (const [k, v] of this.#sums)
      if (RecordedMetrics.matches(k, name, attributes)) total += v;
    return total;
  }

  /** Values a histogram recorded, over every series whose attributes include `attributes`. */
  values(name: string, attributes?: MetricAttributes): number[] {
    return [...this.#values]
      .filter(([k]) => RecordedMetrics.matches(k, name, attributes))
      .flatMap(([, v]) => v);
  }

  private static matches(
    key: string,
    name: string,
    attributes?: MetricAttributes,
  ): boolean {
    if (key !== name && !key.startsWith(`${name}{`)) return false;
    const parts = new Set(
      key
        .slice(name.length + 1, -1)
        .split(',')
        .filter(Boolean),
    );
    return Object.entries(attributes ?? {}).every(([k, v]) =>
      parts.has(`${k}=${String(v)}`),
    );
  }

  /** Every counter sum, keyed `name{attr=value,...}`. */
  sums(): Record<string, number> {
    return Object.fromEntries(this.#sums);
  }
}

function service(recorded: RecordedMetrics): MetricsService {
  const counter = (name: string) => ({
    add: (value: number, attributes?: MetricAttributes) =>
      recorded.add(name, value, attributes),
  });
  const histogram = (name: string) => ({
    record: (value: number, attributes?: MetricAttributes) =>
      recorded.record(name, value, attributes),
  });
  const observable = () => ({
    addCallback: () => {},
    removeCallback: () => {},
  });
  return {
    createCounter: counter,
    createUpDownCounter: counter,
    createHistogram: histogram,
    createGauge: histogram,
    createObservableCounter: observable,
    createObservableUpDownCounter: observable,
    createObservableGauge: observable,
  } as unknown as MetricsService;
}

/** A metrics service for the test backend that records into `recorded`. */
export function recordingMetricsFactory(recorded: RecordedMetrics) {
  return createServiceFactory({
    service: metricsServiceRef,
    deps: {},
    factory: () => service(recorded),
  });
}
