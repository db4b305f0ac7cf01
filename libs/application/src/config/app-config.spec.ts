import { randomBytes } from 'node:crypto';
import { ConfigSection, ConfigValidationError, loadAppConfig } from './app-config';

const ALL: readonly ConfigSection[] = ['database', 'redis', 'kommo', 'secrets', 'http'];
const KEY = `k1:${randomBytes(32).toString('base64')}`;

const VALID_ENV: NodeJS.ProcessEnv = {
  DATABASE_URL: 'postgres://user:pass@db:5432/kommo_voip',
  REDIS_URL: 'redis://redis:6379/0',
  PUBLIC_BASE_URL: 'https://voip.example.com',
  KOMMO_CLIENT_ID: '3f2b9c1e-8d4a-4c7b-9e6f-1a2b3c4d5e6f',
  KOMMO_CLIENT_SECRET: 'a-long-enough-client-secret',
  SECRETS_ENCRYPTION_KEYS: KEY,
};

function problemsOf(env: NodeJS.ProcessEnv, sections: readonly ConfigSection[] = ALL): readonly string[] {
  try {
    loadAppConfig(env, sections);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return (error as ConfigValidationError).problems;
  }
  throw new Error('the configuration was accepted');
}

describe('loadAppConfig', () => {
  it('loads a valid environment with its defaults', () => {
    expect(loadAppConfig(VALID_ENV, ALL)).toEqual({
      env: 'development',
      databaseUrl: VALID_ENV.DATABASE_URL,
      dbMigrationsRun: false,
      redisUrl: VALID_ENV.REDIS_URL,
      queuePrefix: 'kommo-voip',
      port: 3000,
      publicBaseUrl: 'https://voip.example.com',
      kommo: {
        clientId: VALID_ENV.KOMMO_CLIENT_ID,
        clientSecret: VALID_ENV.KOMMO_CLIENT_SECRET,
        redirectUri: 'https://voip.example.com/kommo/oauth/callback',
        accountDomains: ['kommo.com', 'amocrm.ru', 'amocrm.com'],
        apiBaseUrlOverride: null,
        authorizationUrl: 'https://www.kommo.com/oauth',
        requestTimeoutMs: 10_000,
        tokenRefreshMarginSeconds: 300,
        rateLimitPerSecond: 7,
        interactiveHeadroom: 2,
      },
      encryptionKeys: KEY,
      widget: { clockSkewSeconds: 30, extraCorsOrigins: [] },
      httpBodyLimit: '64kb',
      phoneDefaultCountry: 'US',
      logFormat: 'pretty',
      smartForwardingLookupBudgetMs: 1200,
      workerHealthPort: 3001,
      twilioApiBaseUrl: 'https://api.twilio.com',
      twilioApiTimeoutMs: 10_000,
      softphoneTokenTtlSeconds: 600,
      recordingsAllowPrivateNetwork: false,
      providers: {
        ringCentralApiBaseUrl: 'https://platform.ringcentral.com',
        ringCentralMediaBaseUrl: 'https://media.ringcentral.com',
        ringCentralEventFilter: '/restapi/v1.0/account/~/telephony/sessions',
        ringCentralSubscriptionExpiresInSeconds: 630_720_000,
        ringCentralRecordingDelaySeconds: 60,
        zenviaApiBaseUrl: 'https://voice-api.zenvia.com',
        zenviaRecordCalls: true,
        callHistoryImportIntervalMinutes: 15,
        callHistoryImportLookbackMinutes: 60,
        requestTimeoutMs: 10_000,
      },
    });
  });

  it('names EVERY missing variable in one error', () => {
    const error = (() => {
      try {
        loadAppConfig({}, ALL);
      } catch (caught) {
        return caught;
      }
      return null;
    })();

    expect(error).toBeInstanceOf(ConfigValidationError);
    const { problems, message } = error as ConfigValidationError;
    expect(problems).toEqual([
      'DATABASE_URL is missing',
      'REDIS_URL is missing',
      'PUBLIC_BASE_URL is missing',
      'KOMMO_CLIENT_ID is missing',
      'KOMMO_CLIENT_SECRET is missing',
      'SECRETS_ENCRYPTION_KEYS is missing',
    ]);
    expect(message).toContain('6 problems');
    for (const problem of problems) expect(message).toContain(problem);
  });

  it('names EVERY bad variable in one error', () => {
    const problems = problemsOf({
      ...VALID_ENV,
      DATABASE_URL: 'mysql://db/x',
      REDIS_URL: 'not a url',
      PUBLIC_BASE_URL: 'ftp://voip.example.com',
      KOMMO_CLIENT_ID: 'not-a-uuid',
      KOMMO_CLIENT_SECRET: 'short',
      KOMMO_REDIRECT_URI: 'javascript:alert(1)',
      KOMMO_API_BASE_URL: 'file:///etc/passwd',
      SECRETS_ENCRYPTION_KEYS: 'k1:c2hvcnQ=',
      KOMMO_ACCOUNT_DOMAINS: 'kommo.com,not a domain',
      DB_MIGRATIONS_RUN: 'yes',
      PORT: '70000',
      KOMMO_REQUEST_TIMEOUT_MS: '1.5',
      KOMMO_TOKEN_REFRESH_MARGIN_SECONDS: '-1',
      WIDGET_JWT_CLOCK_SKEW_SECONDS: 'abc',
    });

    const named = problems.map((problem) => problem.split(' ')[0]);
    expect(named.sort()).toEqual(
      [
        'DATABASE_URL',
        'REDIS_URL',
        'PUBLIC_BASE_URL',
        'KOMMO_CLIENT_ID',
        'KOMMO_CLIENT_SECRET',
        'KOMMO_REDIRECT_URI',
        'KOMMO_API_BASE_URL',
        'SECRETS_ENCRYPTION_KEYS',
        'KOMMO_ACCOUNT_DOMAINS',
        'DB_MIGRATIONS_RUN',
        'PORT',
        'KOMMO_REQUEST_TIMEOUT_MS',
        'KOMMO_TOKEN_REFRESH_MARGIN_SECONDS',
        'WIDGET_JWT_CLOCK_SKEW_SECONDS',
      ].sort(),
    );
    expect(problems).toContain('PORT must be an integer between 0 and 65535 (got "70000")');
    expect(problems).toContain('DB_MIGRATIONS_RUN must be true or false (got "yes")');
    expect(problems.find((problem) => problem.startsWith('SECRETS_ENCRYPTION_KEYS'))).toContain('must be 32 bytes');
  });

  it('reports a bad PUBLIC_BASE_URL once, not again through the redirect URI derived from it', () => {
    expect(problemsOf({ ...VALID_ENV, PUBLIC_BASE_URL: 'voip.example.com' })).toEqual([
      'PUBLIC_BASE_URL must be a URL (got something else)',
    ]);
  });

  it.each(['0x10', '1e3', '12.0', ' 8 8', '+5'])('accepts decimal integers only, not %p', (raw) => {
    expect(problemsOf({ ...VALID_ENV, KOMMO_RATE_LIMIT_PER_SECOND: raw })).toEqual([
      `KOMMO_RATE_LIMIT_PER_SECOND must be an integer between 1 and 100 (got "${raw.trim()}")`,
    ]);
  });

  it('validates the authorization URL', () => {
    expect(problemsOf({ ...VALID_ENV, KOMMO_AUTHORIZATION_URL: 'javascript:alert(1)' })).toEqual([
      'KOMMO_AUTHORIZATION_URL must be a http: or https: URL',
    ]);
  });

  it('accepts only origins as extra CORS origins', () => {
    expect(loadAppConfig({ ...VALID_ENV, CORS_EXTRA_ORIGINS: 'http://127.0.0.1:8090, https://a.example.com' }, ALL).widget.extraCorsOrigins).toEqual([
      'http://127.0.0.1:8090',
      'https://a.example.com',
    ]);
    expect(problemsOf({ ...VALID_ENV, CORS_EXTRA_ORIGINS: 'https://a.example.com/,*,https://b.example.com/x' })).toEqual([
      'CORS_EXTRA_ORIGINS must list origins like https://app.example.com (no path or trailing slash): https://a.example.com/, *, https://b.example.com/x',
    ]);
  });

  it('checks only the sections the app needs', () => {
    const cli = loadAppConfig(
      { DATABASE_URL: VALID_ENV.DATABASE_URL, REDIS_URL: VALID_ENV.REDIS_URL, SECRETS_ENCRYPTION_KEYS: KEY },
      ['database', 'redis', 'secrets'],
    );

    expect(cli.kommo.clientId).toBe('');
    expect(cli.publicBaseUrl).toBe('');
    expect(problemsOf({}, ['redis'])).toEqual(['REDIS_URL is missing']);
  });

  it('treats blank values as missing', () => {
    expect(problemsOf({ ...VALID_ENV, DATABASE_URL: '   ' })).toEqual(['DATABASE_URL is missing']);
  });

  it('derives the redirect URI from the public base URL without doubling slashes', () => {
    const config = loadAppConfig({ ...VALID_ENV, PUBLIC_BASE_URL: 'https://voip.example.com/prefix//' }, ALL);

    expect(config.publicBaseUrl).toBe('https://voip.example.com/prefix');
    expect(config.kommo.redirectUri).toBe('https://voip.example.com/prefix/kommo/oauth/callback');
  });

  it('prefers an explicit redirect URI', () => {
    const config = loadAppConfig({ ...VALID_ENV, KOMMO_REDIRECT_URI: 'https://other.example.com/cb' }, ALL);

    expect(config.kommo.redirectUri).toBe('https://other.example.com/cb');
  });

  it('sends authorization to KOMMO_API_BASE_URL when it is set', () => {
    const config = loadAppConfig({ ...VALID_ENV, KOMMO_API_BASE_URL: 'http://127.0.0.1:8090/' }, ALL);

    expect(config.kommo.apiBaseUrlOverride).toBe('http://127.0.0.1:8090');
    expect(config.kommo.authorizationUrl).toBe('http://127.0.0.1:8090/oauth');
  });

  it('prefers an explicit authorization URL', () => {
    const config = loadAppConfig(
      { ...VALID_ENV, KOMMO_API_BASE_URL: 'http://127.0.0.1:8090', KOMMO_AUTHORIZATION_URL: 'https://www.amocrm.ru/oauth' },
      ALL,
    );

    expect(config.kommo.authorizationUrl).toBe('https://www.amocrm.ru/oauth');
  });

  it('reads the optional settings', () => {
    const config = loadAppConfig(
      {
        ...VALID_ENV,
        NODE_ENV: 'production',
        DB_MIGRATIONS_RUN: 'TRUE',
        QUEUE_PREFIX: 'tenant-a',
        PORT: '8080',
        KOMMO_ACCOUNT_DOMAINS: ' Kommo.com , ,amocrm.ru ',
        KOMMO_REQUEST_TIMEOUT_MS: '5000',
        KOMMO_TOKEN_REFRESH_MARGIN_SECONDS: '0',
        WIDGET_JWT_CLOCK_SKEW_SECONDS: '300',
        CORS_EXTRA_ORIGINS: 'http://127.0.0.1:8090, https://sandbox.example.com',
        HTTP_BODY_LIMIT: '1mb',
      },
      ALL,
    );

    expect(config).toMatchObject({
      env: 'production',
      dbMigrationsRun: true,
      queuePrefix: 'tenant-a',
      port: 8080,
      kommo: { accountDomains: ['kommo.com', 'amocrm.ru'], requestTimeoutMs: 5000, tokenRefreshMarginSeconds: 0 },
      widget: { clockSkewSeconds: 300, extraCorsOrigins: ['http://127.0.0.1:8090', 'https://sandbox.example.com'] },
      httpBodyLimit: '1mb',
    });
  });

  it.each([
    ['1', true],
    ['0', false],
    ['false', false],
  ])('reads DB_MIGRATIONS_RUN=%p as %p', (raw, expected) => {
    expect(loadAppConfig({ ...VALID_ENV, DB_MIGRATIONS_RUN: raw }, ALL).dbMigrationsRun).toBe(expected);
  });

  it('accepts postgresql:// and rediss:// URLs', () => {
    expect(() =>
      loadAppConfig({ ...VALID_ENV, DATABASE_URL: 'postgresql://db/x', REDIS_URL: 'rediss://redis:6380' }, ALL),
    ).not.toThrow();
  });
});
