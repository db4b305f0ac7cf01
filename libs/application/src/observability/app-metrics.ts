import { KommoHttpExchange } from '@app/kommo';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { counterOn } from './counter-on';

/** Prometheus text format content type. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Where queue depth and lag come from (Bull queues, read when scraped). */
export interface QueueDepthSource {
  snapshot(): Promise<readonly QueueDepth[]>;
}

export interface QueueDepth {
  readonly queue: string;
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
  /** Age of the oldest waiting job in seconds (0: none waiting). */
  readonly oldestWaitingSeconds: number;
}

/** Kommo endpoints that log calls (each 2xx adds its batch to `calls logged`). */
const CALL_LOGGING_ENDPOINTS = new Set(['/api/v4/calls']);

/**
 * The process's Prometheus metrics (one registry per process; the api and the worker each expose theirs).
 * Names are prefixed `kommo_voip_`.
 */
export class AppMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'kommo_voip_http_request_duration_seconds',
    help: 'HTTP requests served by the api, by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly webhookAck = new Histogram({
    name: 'kommo_voip_webhook_ack_duration_seconds',
    help: 'Time from receiving a provider webhook to answering it (the provider waits for this)',
    labelNames: ['provider', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 3, 15],
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'kommo_voip_job_duration_seconds',
    help: 'Worker job run time, by queue, task and outcome',
    labelNames: ['queue', 'task', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly jobsStalled = counterOn(this.registry, 'kommo_voip_jobs_stalled_total', 'Jobs whose lock expired and were run again (at-least-once; the call ledger prevents duplicates)', ['queue']);

  readonly kommoRequests = counterOn(this.registry, 'kommo_voip_kommo_requests_total', 'HTTP requests to Kommo by endpoint and status ("none": timeout or connection failure)', ['method', 'endpoint', 'status']);

  readonly kommoRateLimited = counterOn(this.registry, 'kommo_voip_kommo_429_total', 'Kommo answers 429 Too Many Requests');

  readonly kommoForbidden = counterOn(this.registry, 'kommo_voip_kommo_403_total', 'Kommo answers 403 (an account block when repeated)');

  readonly tokenRefreshes = counterOn(this.registry, 'kommo_voip_kommo_token_refreshes_total', 'Refresh-token grants sent to Kommo, by outcome', ['outcome']);

  readonly callsLogged = counterOn(this.registry, 'kommo_voip_calls_logged_total', 'Calls in batches Kommo accepted (POST /api/v4/calls answered 2xx)');

  readonly webhooksUnrecognised = counterOn(this.registry, 'kommo_voip_webhooks_unrecognised_total', 'Provider deliveries stored raw because their status is unknown (e.g. Zenvia), by provider', ['provider']);

  readonly callsBackfilled = counterOn(this.registry, 'kommo_voip_calls_backfilled_total', 'Calls the call-history import found missing and fed to the pipeline, by provider', ['provider']);

  private queueSource: QueueDepthSource | null = null;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'kommo_voip_' });
    const snapshot = () => this.queueSnapshot();
    new Gauge({
      name: 'kommo_voip_queue_jobs',
      help: 'Jobs per queue and state, read from Redis when scraped',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const depth of await snapshot()) {
          for (const state of ['waiting', 'active', 'delayed', 'failed'] as const) this.set({ queue: depth.queue, state }, depth[state]);
        }
      },
    });
    new Gauge({
      name: 'kommo_voip_queue_oldest_waiting_seconds',
      help: 'Age of the oldest waiting job per queue (queue lag)',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const depth of await snapshot()) this.set({ queue: depth.queue }, depth.oldestWaitingSeconds);
      },
    });
  }

  /** Queue depth is read from this source at scrape time. */
  useQueueSource(source: QueueDepthSource): void {
    this.queueSource = source;
  }

  /** Counts one Kommo exchange (wired to libs/kommo's `onKommoHttpExchange`). */
  recordKommoExchange(exchange: KommoHttpExchange): void {
    const status = exchange.status === null ? 'none' : String(exchange.status);
    this.kommoRequests.inc({ method: exchange.method, endpoint: exchange.endpoint, status });
    if (exchange.status === 429) this.kommoRateLimited.inc();
    if (exchange.status === 403) this.kommoForbidden.inc();
    if (exchange.grant === 'refresh_token') {
      const ok = exchange.status !== null && exchange.status >= 200 && exchange.status < 300;
      this.tokenRefreshes.inc({ outcome: ok ? 'ok' : exchange.status === 400 || exchange.status === 401 ? 'refused' : 'failed' });
    }
    if (
      exchange.method === 'POST' &&
      CALL_LOGGING_ENDPOINTS.has(exchange.endpoint) &&
      exchange.status !== null &&
      exchange.status >= 200 &&
      exchange.status < 300 &&
      exchange.items !== null
    ) {
      this.callsLogged.inc(exchange.items);
    }
  }

  /** The Prometheus text exposition. */
  async render(): Promise<string> {
    return this.registry.metrics();
  }

  private async queueSnapshot(): Promise<readonly QueueDepth[]> {
    if (!this.queueSource) return [];
    try {
      return await this.queueSource.snapshot();
    } catch {
      return []; // Redis down: the scrape still answers (readiness reports the outage)
    }
  }
}
