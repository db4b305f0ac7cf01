import { SecretCipher } from '@app/persistence';

/** Typed configuration, validated once at boot. Nothing below apps/ and this lib reads process.env. */
export interface AppConfig {
  readonly env: string;
  readonly databaseUrl: string;
  readonly dbMigrationsRun: boolean;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly port: number;
  /** Our public origin + path prefix, e.g. https://voip.example.com (webhook URLs, widget JWT audience). */
  readonly publicBaseUrl: string;
  readonly kommo: {
    readonly clientId: string;
    readonly clientSecret: string;
    readonly redirectUri: string;
    readonly accountDomains: readonly string[];
    readonly apiBaseUrlOverride: string | null;
    readonly authorizationUrl: string;
    readonly requestTimeoutMs: number;
    readonly tokenRefreshMarginSeconds: number;
    /** Requests per second per account, shared by every process of ours. */
    readonly rateLimitPerSecond: number;
    /** Of those, kept free of background work (call logging) for interactive lookups. */
    readonly interactiveHeadroom: number;
  };
  readonly encryptionKeys: string;
  readonly widget: {
    readonly clockSkewSeconds: number;
    /** Extra CORS origins (beyond Kommo account origins), e.g. the local sandbox. */
    readonly extraCorsOrigins: readonly string[];
  };
  readonly httpBodyLimit: string;
  /**
   * Country for provider numbers written without a country code. Kommo's account has a `country` too;
   * until it is stored per account this one applies to every account of the deployment.
   */
  readonly phoneDefaultCountry: string;
  /** Where Twilio recordings are fetched (override for tests/offline fakes; default https://api.twilio.com). */
  readonly twilioApiBaseUrl: string;
  /** How long a Twilio REST request (click-to-call) may take before the manager is told it is unreachable. */
  readonly twilioApiTimeoutMs: number;
  /** Lifetime of the browser softphone's Voice SDK access token (the widget refreshes it before expiry). */
  readonly softphoneTokenTtlSeconds: number;
  /** Let the recording proxy fetch from private addresses (a PBX on the deployment's own LAN). Off: SSRF guard. */
  readonly recordingsAllowPrivateNetwork: boolean;
  /** Smart forwarding: how long the Voice URL waits for Kommo's caller lookup before ringing the default route. */
  readonly smartForwardingLookupBudgetMs: number;
  /** RingCentral, Zenvia and the call-history import (docs/ringcentral.md, docs/zenvia.md). */
  readonly providers: ProviderApiConfig;
  /** `json` (one object per line, default in production) or `pretty` (Nest's console format). */
  readonly logFormat: 'json' | 'pretty';
  /** The worker's health and metrics listener (0: none). */
  readonly workerHealthPort: number;
}

/** Provider REST endpoints (overridable so tests run against local fakes) and the call-history import schedule. */
export interface ProviderApiConfig {
  /** RINGCENTRAL_API_BASE_URL (default https://platform.ringcentral.com). */
  readonly ringCentralApiBaseUrl: string;
  /** RINGCENTRAL_MEDIA_BASE_URL: where recording media is fetched (default https://media.ringcentral.com). */
  readonly ringCentralMediaBaseUrl: string;
  /** RINGCENTRAL_EVENT_FILTER: the telephony-session filter subscribed per connection (account-wide by default). */
  readonly ringCentralEventFilter: string;
  /** RINGCENTRAL_SUBSCRIPTION_EXPIRES_IN_SECONDS: requested webhook lifetime (RingCentral allows up to 20 years). */
  readonly ringCentralSubscriptionExpiresInSeconds: number;
  /** RINGCENTRAL_RECORDING_DELAY_SECONDS: first look in the call log for a recording after the call ended. */
  readonly ringCentralRecordingDelaySeconds: number;
  /** ZENVIA_API_BASE_URL (default https://voice-api.zenvia.com). */
  readonly zenviaApiBaseUrl: string;
  /** ZENVIA_RECORD_CALLS: click-to-call asks Zenvia to record (gravar_audio). */
  readonly zenviaRecordCalls: boolean;
  /** CALL_HISTORY_IMPORT_INTERVAL_MINUTES: how often every connection's call log is reconciled (0: never). */
  readonly callHistoryImportIntervalMinutes: number;
  /** CALL_HISTORY_IMPORT_LOOKBACK_MINUTES: window of the first import, and the overlap kept behind the cursor. */
  readonly callHistoryImportLookbackMinutes: number;
  /** PROVIDER_REQUEST_TIMEOUT_MS: timeout of one provider REST request. */
  readonly requestTimeoutMs: number;
}

export type ConfigSection = 'database' | 'redis' | 'kommo' | 'secrets' | 'http';

export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates the environment for the sections an app needs and names EVERY missing or bad variable
 * in one error, so a misconfigured deployment is fixed in one go.
 */
export function loadAppConfig(env: NodeJS.ProcessEnv, sections: readonly ConfigSection[]): AppConfig {
  const problems: string[] = [];
  const need = (section: ConfigSection) => sections.includes(section);
  const read = (name: string, section: ConfigSection, check?: (value: string) => string | null, fallback?: string) => {
    const value = env[name]?.trim() || fallback;
    if (!need(section)) return value ?? '';
    if (!value) {
      problems.push(`${name} is missing`);
      return '';
    }
    const problem = check?.(value);
    if (problem) problems.push(`${name} ${problem}`);
    return value;
  };
  const optional = (name: string) => env[name]?.trim() || null;
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN; // decimal digits only: no 0x10, 1e3, 12.0
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string) => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return false;
    if (!['true', 'false', '1', '0'].includes(raw)) problems.push(`${name} must be true or false (got "${raw}")`);
    return raw === 'true' || raw === '1';
  };

  const databaseUrl = read('DATABASE_URL', 'database', urlWithProtocol(['postgres:', 'postgresql:']));
  const redisUrl = read('REDIS_URL', 'redis', urlWithProtocol(['redis:', 'rediss:']));
  const problemsBeforeBaseUrl = problems.length;
  const publicBaseUrl = read('PUBLIC_BASE_URL', 'http', urlWithProtocol(['http:', 'https:'])).replace(/\/+$/, '');
  const publicBaseUrlOk = problems.length === problemsBeforeBaseUrl && publicBaseUrl !== '';
  const clientId = read('KOMMO_CLIENT_ID', 'kommo', (value) => (UUID.test(value) ? null : 'must be the integration id (a UUID)'));
  const clientSecret = read('KOMMO_CLIENT_SECRET', 'kommo', (value) => (value.length >= 16 ? null : 'looks too short for a client secret'));
  // Derived from PUBLIC_BASE_URL unless set; a bad or missing PUBLIC_BASE_URL is reported once, not twice.
  const redirectUri =
    env.KOMMO_REDIRECT_URI?.trim() || publicBaseUrlOk || !need('http')
      ? read('KOMMO_REDIRECT_URI', 'kommo', urlWithProtocol(['http:', 'https:']), publicBaseUrlOk ? `${publicBaseUrl}/kommo/oauth/callback` : undefined)
      : '';
  const apiBaseUrlOverride = optional('KOMMO_API_BASE_URL');
  if (apiBaseUrlOverride && need('kommo')) {
    const problem = urlWithProtocol(['http:', 'https:'])(apiBaseUrlOverride);
    if (problem) problems.push(`KOMMO_API_BASE_URL ${problem}`);
  }
  const encryptionKeys = read('SECRETS_ENCRYPTION_KEYS', 'secrets', (value) => {
    const { problems: keyProblems } = SecretCipher.parseKeys(value);
    return keyProblems.length ? `is invalid: ${keyProblems.join(', ')} (generate one with: node -e "console.log('k1:'+require('crypto').randomBytes(32).toString('base64'))")` : null;
  });
  const accountDomains = (optional('KOMMO_ACCOUNT_DOMAINS') ?? 'kommo.com,amocrm.ru,amocrm.com')
    .split(',')
    .map((domain) => domain.trim().toLowerCase())
    .filter(Boolean);
  if (accountDomains.some((domain) => !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain))) {
    problems.push('KOMMO_ACCOUNT_DOMAINS must be a comma-separated list of domains such as kommo.com');
  }
  const extraCorsOrigins = (optional('CORS_EXTRA_ORIGINS') ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  const notOrigins = extraCorsOrigins.filter((origin) => !isOrigin(origin));
  if (notOrigins.length > 0) {
    problems.push(`CORS_EXTRA_ORIGINS must list origins like https://app.example.com (no path or trailing slash): ${notOrigins.join(', ')}`);
  }
  const phoneDefaultCountry = (optional('PHONE_DEFAULT_COUNTRY') ?? 'US').toUpperCase();
  if (!/^[A-Z]{2}$/.test(phoneDefaultCountry)) problems.push(`PHONE_DEFAULT_COUNTRY must be a two-letter country code such as US or BR (got "${phoneDefaultCountry}")`);
  const twilioBase = optional('TWILIO_API_BASE_URL');
  if (twilioBase) {
    const problem = urlWithProtocol(['http:', 'https:'])(twilioBase);
    if (problem) problems.push(`TWILIO_API_BASE_URL ${problem}`);
  }
  for (const name of ['RINGCENTRAL_API_BASE_URL', 'RINGCENTRAL_MEDIA_BASE_URL', 'ZENVIA_API_BASE_URL']) {
    const value = optional(name);
    const problem = value ? urlWithProtocol(['http:', 'https:'])(value) : null;
    if (problem) problems.push(`${name} ${problem}`);
  }
  const authorizationUrl = optional('KOMMO_AUTHORIZATION_URL');
  if (authorizationUrl && need('kommo')) {
    const problem = urlWithProtocol(['http:', 'https:'])(authorizationUrl);
    if (problem) problems.push(`KOMMO_AUTHORIZATION_URL ${problem}`);
  }

  const logFormat = (optional('LOG_FORMAT') ?? (env.NODE_ENV === 'production' ? 'json' : 'pretty')).toLowerCase();
  if (logFormat !== 'json' && logFormat !== 'pretty') problems.push(`LOG_FORMAT must be json or pretty (got "${logFormat}")`);

  const config: AppConfig = {
    env: env.NODE_ENV ?? 'development',
    databaseUrl,
    dbMigrationsRun: bool('DB_MIGRATIONS_RUN'),
    redisUrl,
    queuePrefix: optional('QUEUE_PREFIX') ?? 'kommo-voip',
    port: integer('PORT', 3000, 0, 65535),
    publicBaseUrl,
    kommo: {
      clientId,
      clientSecret,
      redirectUri,
      accountDomains,
      apiBaseUrlOverride: apiBaseUrlOverride?.replace(/\/+$/, '') ?? null,
      authorizationUrl:
        authorizationUrl ??
        (apiBaseUrlOverride ? `${apiBaseUrlOverride.replace(/\/+$/, '')}/oauth` : 'https://www.kommo.com/oauth'),
      requestTimeoutMs: integer('KOMMO_REQUEST_TIMEOUT_MS', 10_000, 100, 120_000),
      tokenRefreshMarginSeconds: integer('KOMMO_TOKEN_REFRESH_MARGIN_SECONDS', 300, 0, 86_400),
      // Kommo documents 7 requests/s per integration per account (kommo-api.md §10). Configurable in case
      // Kommo changes it; we keep below it across all our processes (Redis-backed limiter).
      rateLimitPerSecond: integer('KOMMO_RATE_LIMIT_PER_SECOND', 7, 1, 100),
      interactiveHeadroom: integer('KOMMO_INTERACTIVE_HEADROOM', 2, 0, 99),
    },
    encryptionKeys,
    widget: {
      clockSkewSeconds: integer('WIDGET_JWT_CLOCK_SKEW_SECONDS', 30, 0, 300),
      extraCorsOrigins,
    },
    httpBodyLimit: optional('HTTP_BODY_LIMIT') ?? '64kb',
    phoneDefaultCountry,
    twilioApiBaseUrl: (optional('TWILIO_API_BASE_URL') ?? 'https://api.twilio.com').replace(/\/+$/, ''),
    twilioApiTimeoutMs: integer('TWILIO_API_TIMEOUT_MS', 10_000, 500, 60_000),
    softphoneTokenTtlSeconds: integer('SOFTPHONE_TOKEN_TTL_SECONDS', 600, 60, 86_400),
    recordingsAllowPrivateNetwork: bool('RECORDINGS_ALLOW_PRIVATE_NETWORK'),
    // Twilio waits up to 15 s for TwiML; we answer within 2 s: the lookup gets this budget, then the ring group rings.
    smartForwardingLookupBudgetMs: integer('SMART_FORWARDING_LOOKUP_BUDGET_MS', 1200, 50, 10_000),
    providers: {
      ringCentralApiBaseUrl: (optional('RINGCENTRAL_API_BASE_URL') ?? 'https://platform.ringcentral.com').replace(/\/+$/, ''),
      ringCentralMediaBaseUrl: (optional('RINGCENTRAL_MEDIA_BASE_URL') ?? 'https://media.ringcentral.com').replace(/\/+$/, ''),
      ringCentralEventFilter: optional('RINGCENTRAL_EVENT_FILTER') ?? '/restapi/v1.0/account/~/telephony/sessions',
      ringCentralSubscriptionExpiresInSeconds: integer('RINGCENTRAL_SUBSCRIPTION_EXPIRES_IN_SECONDS', 630_720_000, 3_600, 630_720_000),
      ringCentralRecordingDelaySeconds: integer('RINGCENTRAL_RECORDING_DELAY_SECONDS', 60, 0, 86_400),
      zenviaApiBaseUrl: (optional('ZENVIA_API_BASE_URL') ?? 'https://voice-api.zenvia.com').replace(/\/+$/, ''),
      zenviaRecordCalls: env.ZENVIA_RECORD_CALLS?.trim() ? bool('ZENVIA_RECORD_CALLS') : true,
      callHistoryImportIntervalMinutes: integer('CALL_HISTORY_IMPORT_INTERVAL_MINUTES', 15, 0, 1_440),
      callHistoryImportLookbackMinutes: integer('CALL_HISTORY_IMPORT_LOOKBACK_MINUTES', 60, 1, 43_200),
      requestTimeoutMs: integer('PROVIDER_REQUEST_TIMEOUT_MS', 10_000, 100, 120_000),
    },
    logFormat: logFormat === 'json' ? 'json' : 'pretty',
    workerHealthPort: integer('WORKER_HEALTH_PORT', 3001, 0, 65535),
  };
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config;
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

function urlWithProtocol(protocols: readonly string[]): (value: string) => string | null {
  return (value) => {
    try {
      const url = new URL(value);
      return protocols.includes(url.protocol) ? null : `must be a ${protocols.join(' or ')} URL`;
    } catch {
      return `must be a URL (got something else)`;
    }
  };
}
