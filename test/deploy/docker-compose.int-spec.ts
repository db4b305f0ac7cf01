import { loadAppConfig } from '@app/application';
import { load } from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiModule } from '../../apps/api/src/api.module';
import { CliModule } from '../../apps/cli/src/cli.module';
import { ConsoleWorkerModule } from '../../apps/worker/src/console-worker.module';

/**
 * docker-compose.yml cannot run here (no Docker): it is kept correct by construction and by this test, which
 * reads it as Compose would (YAML, merge keys, ${VAR:-default} interpolation) and checks it against the code.
 */
interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  profiles?: string[];
  restart?: string;
  stop_grace_period?: string;
}

const ROOT = join(__dirname, '..', '..');
const compose = load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const services = compose.services;

/** Compose's interpolation: ${VAR:-default} → default, ${VAR:?error} → a value the operator must give, ${VAR} → ''. */
function interpolate(value: string, given: Record<string, string>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g, (_match, name: string, kind?: string, rest?: string) => {
    if (given[name] !== undefined) return given[name];
    if (kind === '-') return rest ?? '';
    if (kind === '?') throw new Error(`${name} must be given: ${rest}`);
    return '';
  });
}

const OPERATOR = { SECRETS_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };
const envOf = (name: string) =>
  Object.fromEntries(Object.entries(services[name].environment ?? {}).map(([key, value]) => [key, interpolate(String(value), OPERATOR)]));

/** Every variable app-config.ts reads. */
function configVariables(): Set<string> {
  const source = readFileSync(join(ROOT, 'libs/application/src/config/app-config.ts'), 'utf8');
  const names = new Set<string>();
  for (const match of source.matchAll(/(?:read|optional|integer|bool)\(\s*'([A-Z0-9_]+)'/g)) names.add(match[1]);
  for (const match of source.matchAll(/env(?:\.|\[')([A-Z][A-Z0-9_]+)/g)) names.add(match[1]);
  for (const match of source.matchAll(/\['([A-Z][A-Z0-9_]+_URL)'/g)) names.add(match[1]);
  return names;
}

function seconds(duration: string | undefined): number {
  const match = /^(\d+)(ms|s|m)$/.exec(duration ?? '');
  if (!match) return 10; // Compose's default grace period
  return Number(match[1]) * { ms: 0.001, s: 1, m: 60 }[match[2] as 'ms' | 's' | 'm'];
}

describe('docker-compose.yml', () => {
  it('runs the product: postgres, redis, one-shot migrate, api, worker, and the sandbox in the demo profile', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'kommo-sandbox', 'migrate', 'postgres', 'redis', 'worker']);
    expect(services['kommo-sandbox'].profiles).toEqual(['demo']);
    for (const name of ['postgres', 'redis', 'migrate', 'api', 'worker']) expect(services[name].profiles).toBeUndefined();
    const nestProjects = Object.keys((JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8')) as { projects: object }).projects);
    for (const [name, app] of [['migrate', 'cli'], ['api', 'api'], ['worker', 'worker'], ['kommo-sandbox', 'kommo-sandbox']]) {
      expect(services[name].build).toBe('.');
      expect(services[name].command?.slice(0, 2)).toEqual(['node', `dist/apps/${app}/main`]);
      expect(nestProjects).toContain(app);
    }
    expect(services.migrate.command).toEqual(['node', 'dist/apps/cli/main', 'migrate']);
    expect(services.migrate.restart).toBe('no');
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
  });

  it('starts in order: migrate after healthy PostgreSQL and Redis, api and worker after a successful migration', () => {
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    expect(services.api.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' } });
    expect(services.worker.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' } });
  });

  it('has healthchecks on the endpoints the apps really serve', () => {
    for (const name of ['postgres', 'redis', 'api', 'worker', 'kommo-sandbox']) expect(services[name].healthcheck?.test.length).toBeGreaterThan(1);
    const apiPort = envOf('api').PORT;
    expect(services.api.ports).toContain(`${apiPort}:${apiPort}`);
    expect(services.api.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${apiPort}/health/ready`);
    const workerPort = envOf('worker').WORKER_HEALTH_PORT;
    expect(Number(workerPort)).toBeGreaterThan(0);
    expect(services.worker.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${workerPort}/health/ready`);
    expect(services.postgres.healthcheck?.test.join(' ')).toContain('pg_isready');
  });

  it('keeps queued jobs in Redis: AOF on, no eviction', () => {
    const command = services.redis.command?.join(' ') ?? '';
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
  });

  it('gives api, worker and cli an environment app-config.ts accepts, with no unknown variable names', () => {
    const known = configVariables();
    expect(known.has('DATABASE_URL') && known.has('WORKER_HEALTH_PORT') && known.has('LOG_FORMAT')).toBe(true);
    for (const name of ['migrate', 'api', 'worker']) {
      const env = envOf(name);
      expect(Object.keys(env).filter((key) => !known.has(key))).toEqual([]);
      expect(() => loadAppConfig(env, ApiModule.CONFIG_SECTIONS)).not.toThrow();
      expect(() => loadAppConfig(env, ConsoleWorkerModule.CONFIG_SECTIONS)).not.toThrow();
      expect(() => loadAppConfig(env, CliModule.CONFIG_SECTIONS)).not.toThrow();
      expect(new URL(env.DATABASE_URL).hostname).toBe('postgres');
      expect(new URL(env.REDIS_URL).hostname).toBe('redis');
    }
    // One Redis and one queue prefix for api and worker (a split brain leaves jobs enqueued forever).
    expect(envOf('api').REDIS_URL).toBe(envOf('worker').REDIS_URL);
    expect(envOf('api').QUEUE_PREFIX).toBe(envOf('worker').QUEUE_PREFIX);
    expect(envOf('api').LOG_FORMAT).toBe('json');
    expect(() => interpolate(String(services.api.environment?.SECRETS_ENCRYPTION_KEYS), {})).toThrow(/SECRETS_ENCRYPTION_KEYS must be given/);
    // The demo sandbox speaks with the integration's credentials.
    expect(envOf('kommo-sandbox').KOMMO_CLIENT_ID).toBe(envOf('api').KOMMO_CLIENT_ID);
    expect(envOf('api').KOMMO_API_BASE_URL).toBe(`http://kommo-sandbox:${envOf('kommo-sandbox').SANDBOX_PORT}`);
  });

  it('lets the worker finish its longest task before Docker kills it', () => {
    const config = loadAppConfig(envOf('worker'), ConsoleWorkerModule.CONFIG_SECTIONS);
    // Permit wait (MAX_PERMIT_WAIT_MS, 30 s) + request + one 401 refresh and retry + two 429 pauses (≤ 5 s each).
    const longestTaskSeconds = 30 + (3 * config.kommo.requestTimeoutMs) / 1000 + 2 * 5;
    expect(seconds(services.worker.stop_grace_period)).toBeGreaterThan(longestTaskSeconds);
    expect(seconds(services.api.stop_grace_period)).toBeGreaterThanOrEqual(15); // Twilio's 15 s response window
  });
});
