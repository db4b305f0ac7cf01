import { Logger } from '@nestjs/common';
import { DEMO_ACCOUNT, ACME_ACCOUNT } from './seed/demo.seed';
import { SandboxMode } from './sandbox-options';
import { startKommoSandbox } from './sandbox.bootstrap';

function numberFrom(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`not a number: ${value}`);
  return parsed;
}

async function bootstrap(): Promise<void> {
  const env = process.env;
  const mode = (env.SANDBOX_MODE ?? 'demo') as SandboxMode;
  if (!['test', 'demo', 'production'].includes(mode)) throw new Error('SANDBOX_MODE must be test, demo or production');
  const port = numberFrom(env.SANDBOX_PORT) ?? 8090;
  const host = env.SANDBOX_HOST ?? '0.0.0.0';
  const sandbox = await startKommoSandbox({
    port,
    host,
    mode,
    seed: env.SANDBOX_SEED === 'empty' ? 'empty' : 'demo',
    logger: ['log', 'warn', 'error'],
    integration: {
      clientId: env.KOMMO_CLIENT_ID ?? '00000000-0000-4000-8000-000000000001',
      clientSecret: env.KOMMO_CLIENT_SECRET ?? 'sandbox-client-secret',
      redirectUri: env.KOMMO_REDIRECT_URI ?? 'http://localhost:3000/kommo/oauth/callback',
      uninstallHookUrl: env.KOMMO_UNINSTALL_HOOK_URL || undefined,
      widgetCode: env.KOMMO_WIDGET_CODE || undefined,
    },
    limits: {
      requestsPerSecond: numberFrom(env.SANDBOX_RATE_LIMIT_RPS),
      abuseThreshold: numberFrom(env.SANDBOX_ABUSE_THRESHOLD),
      abuseWindowMs: numberFrom(env.SANDBOX_ABUSE_WINDOW_MS),
      blockMs: numberFrom(env.SANDBOX_BLOCK_MS),
    },
    publicUrl: env.SANDBOX_PUBLIC_URL,
  });
  const url = env.SANDBOX_PUBLIC_URL ?? sandbox.url;
  const logger = new Logger('KommoSandbox');
  logger.log(`Kommo sandbox (${mode} mode) listening on ${sandbox.url}; public URL ${url}`);
  logger.log(`Authorization page: ${url}/oauth?client_id=<KOMMO_CLIENT_ID>&state=...  Web view: ${url}/view`);
  logger.log(`Demo accounts: ${DEMO_ACCOUNT.host} (#${DEMO_ACCOUNT.id}, admin ${DEMO_ACCOUNT.users.admin}), ${ACME_ACCOUNT.host} (#${ACME_ACCOUNT.id}, admin ${ACME_ACCOUNT.users.admin})`);
  if (mode !== 'production') logger.log(`Control plane: ${url}/_sandbox (see apps/kommo-sandbox/README.md)`);
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
