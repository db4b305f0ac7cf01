import { AppMetrics } from './app-metrics';

describe('AppMetrics', () => {
  it('counts Kommo exchanges by status, 429/403, refreshes and logged calls, in Prometheus text format', async () => {
    const metrics = new AppMetrics({ defaultMetrics: false });
    const exchange = { method: 'POST', endpoint: '/api/v4/calls', durationMs: 120, grant: null };
    metrics.recordKommoExchange({ ...exchange, status: 200, items: 50 });
    metrics.recordKommoExchange({ ...exchange, status: 429, items: 50 });
    metrics.recordKommoExchange({ ...exchange, status: 403, items: 3 });
    metrics.recordKommoExchange({ ...exchange, status: null, items: 3 });
    metrics.recordKommoExchange({ method: 'POST', endpoint: '/oauth2/access_token', durationMs: 80, grant: 'refresh_token', status: 200, items: null });
    metrics.recordKommoExchange({ method: 'POST', endpoint: '/oauth2/access_token', durationMs: 80, grant: 'refresh_token', status: 400, items: null });
    metrics.recordKommoExchange({ method: 'POST', endpoint: '/oauth2/access_token', durationMs: 80, grant: 'authorization_code', status: 200, items: null });

    const text = await metrics.render();
    expect(text).toContain('kommo_voip_kommo_requests_total{method="POST",endpoint="/api/v4/calls",status="200"} 1');
    expect(text).toContain('kommo_voip_kommo_requests_total{method="POST",endpoint="/api/v4/calls",status="none"} 1');
    expect(text).toMatch(/^kommo_voip_kommo_429_total 1$/m);
    expect(text).toMatch(/^kommo_voip_kommo_403_total 1$/m);
    expect(text).toContain('kommo_voip_kommo_token_refreshes_total{outcome="ok"} 1');
    expect(text).toContain('kommo_voip_kommo_token_refreshes_total{outcome="refused"} 1');
    expect(text).toMatch(/^kommo_voip_calls_logged_total 50$/m);
    expect(text).toContain('# TYPE kommo_voip_webhook_ack_duration_seconds histogram');
  });

  it('reads queue depth and lag when scraped, and still answers when Redis is down', async () => {
    const metrics = new AppMetrics({ defaultMetrics: false });
    let down = false;
    metrics.useQueueSource({
      snapshot: () =>
        down
          ? Promise.reject(new Error('Connection is closed'))
          : Promise.resolve([{ queue: 'call-logging', waiting: 7, active: 1, delayed: 2, failed: 0, oldestWaitingSeconds: 3.5 }]),
    });
    const text = await metrics.render();
    expect(text).toContain('kommo_voip_queue_jobs{queue="call-logging",state="waiting"} 7');
    expect(text).toContain('kommo_voip_queue_jobs{queue="call-logging",state="delayed"} 2');
    expect(text).toContain('kommo_voip_queue_oldest_waiting_seconds{queue="call-logging"} 3.5');
    down = true;
    expect(await metrics.render()).not.toContain('queue="call-logging"');
  });

  it('observes webhook ack latency into histogram buckets', async () => {
    const metrics = new AppMetrics({ defaultMetrics: false });
    metrics.webhookAck.observe({ provider: 'twilio', status: '204' }, 0.004);
    const text = await metrics.render();
    expect(text).toContain('kommo_voip_webhook_ack_duration_seconds_bucket{le="0.005",provider="twilio",status="204"} 1');
    expect(text).toContain('kommo_voip_webhook_ack_duration_seconds_bucket{le="0.0025",provider="twilio",status="204"} 0');
    expect(text).toContain('kommo_voip_webhook_ack_duration_seconds_count{provider="twilio",status="204"} 1');
  });
});
