import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The server's Prometheus metrics, in a registry of their own (one per app). */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  eventsIngested: Counter<'result'>;
  /** Renders /metrics; a cluster worker sets it to the primary's sum over every worker. */
  render?: () => Promise<string>;
}

/** Creates the metrics; `withDefaults` adds process metrics (CPU, memory, event loop lag). */
export function createMetrics(withDefaults: boolean): Metrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'warden_http_requests_total',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'warden_http_request_duration_seconds',
      help: 'HTTP request duration by method and route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    eventsIngested: new Counter({
      name: 'warden_events_ingested_total',
      help: 'Events received on /v1/events by result (accepted, duplicate, rejected)',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}
