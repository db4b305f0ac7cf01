// Loaded by every integration/e2e test file (jest `setupFiles`). Real PostgreSQL and Redis on loopback.
process.env.NODE_ENV ??= 'test';
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/kommo_voip_test';
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379/0';
// A per-run prefix keeps test jobs out of any dev worker's queues.
process.env.QUEUE_PREFIX ??= `test-${process.pid}`;
// No repeatable call-history import in test stacks (tests run imports on demand).
process.env.CALL_HISTORY_IMPORT_INTERVAL_MINUTES ??= '0';
// No worker health listener unless a test asks for one (several stacks share the machine).
process.env.WORKER_HEALTH_PORT ??= '0';
