import { LogLevel, LoggerService } from '@nestjs/common';
import { SeedDefinition } from './seed/seed.types';

/** Where the control plane (`/_sandbox`) exists: only in test and demo mode. */
export type SandboxMode = 'test' | 'demo' | 'production';

export interface SandboxIntegration {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly uninstallHookUrl?: string;
  /** The widget code used by `POST /api/v4/widgets/{code}` (defaults to `voip_widget`). */
  readonly widgetCode?: string;
}

export interface SandboxLimits {
  /** Kommo: at most 7 requests per second per integration and account (sliding 1 s window). */
  readonly requestsPerSecond?: number;
  /** This many 429 answers inside `abuseWindowMs` blocks the account: every request → 403 until reset. */
  readonly abuseThreshold?: number;
  readonly abuseWindowMs?: number;
  /** How long the 403 block lasts; null = until `POST /_sandbox/reset` (the default). */
  readonly blockMs?: number | null;
  /** `retry_after` of the documented 429 body. */
  readonly retryAfterSeconds?: number;
}

/**
 * Behaviours the fact sheet marks UNCONFIRMED. Each has the documented-most-likely default;
 * see the README's "Assumptions" table.
 */
export interface SandboxAssumptions {
  /** Digits compared (suffix) when `POST /api/v4/calls` matches a number (§4.3: 10). */
  readonly callMatchDigits?: number;
  /** Digits compared (suffix) by `?query=` on phone fields (caller-ID page: 7). */
  readonly queryMatchDigits?: number;
  /** Digits compared (suffix) by `POST /api/v2/events` (§7.1: 8). */
  readonly eventMatchDigits?: number;
  /** Whether a lead still in the incoming-leads stage counts as "active" for the attach algorithm. */
  readonly unsortedLeadsAreActive?: boolean;
  /** Whether `call_status` 8 (SDK-only "undefined") is accepted. */
  readonly acceptCallStatus8?: boolean;
  /** HTTP status of a refresh with a dead (used/outdated/revoked/unknown) refresh token. */
  readonly invalidRefreshTokenStatus?: 400 | 401;
  /**
   * When the previous refresh token stops working after a rotation:
   * 'new-refresh-used' (fact sheet §1.2: once the new refresh token is used) or
   * 'new-pair-used' (also once the new access token is used on the API).
   */
  readonly oldRefreshTokenValidUntil?: 'new-refresh-used' | 'new-pair-used';
  /** Criterion that makes a second `POST /leads/unsorted/sip` a duplicate of a pending one. */
  readonly unsortedDuplicateKey?: 'uniq' | 'phone' | 'none';
  /** Max calls per `POST /api/v4/calls` (general write cap). */
  readonly maxBatchItems?: number;
  /** Whether `POST /oauth2/access_token` counts towards the 7 req/s limit. */
  readonly rateLimitTokenEndpoint?: boolean;
}

export interface SandboxOptions {
  readonly port: number;
  readonly host?: string;
  readonly mode: SandboxMode;
  readonly seed: 'demo' | 'empty' | SeedDefinition;
  readonly logger: false | LogLevel[] | LoggerService;
  readonly integration: SandboxIntegration;
  readonly limits?: SandboxLimits;
  readonly assumptions?: SandboxAssumptions;
  /** Base URL printed in links (view, `_links.self`); defaults to the listening URL. */
  readonly publicUrl?: string;
}

export interface ResolvedLimits {
  readonly requestsPerSecond: number;
  readonly abuseThreshold: number;
  readonly abuseWindowMs: number;
  readonly blockMs: number | null;
  readonly retryAfterSeconds: number;
}

export type ResolvedAssumptions = Required<SandboxAssumptions>;

export interface ResolvedSandboxOptions {
  readonly mode: SandboxMode;
  readonly seed: 'demo' | 'empty' | SeedDefinition;
  readonly integration: Required<Omit<SandboxIntegration, 'uninstallHookUrl'>> & { readonly uninstallHookUrl: string | null };
  readonly limits: ResolvedLimits;
  readonly assumptions: ResolvedAssumptions;
}

export const DEFAULT_LIMITS: ResolvedLimits = {
  requestsPerSecond: 7,
  abuseThreshold: 100,
  abuseWindowMs: 60_000,
  blockMs: null,
  retryAfterSeconds: 300,
};

export const DEFAULT_ASSUMPTIONS: ResolvedAssumptions = {
  callMatchDigits: 10,
  queryMatchDigits: 7,
  eventMatchDigits: 8,
  unsortedLeadsAreActive: false,
  acceptCallStatus8: false,
  invalidRefreshTokenStatus: 401,
  oldRefreshTokenValidUntil: 'new-refresh-used',
  unsortedDuplicateKey: 'uniq',
  maxBatchItems: 250,
  rateLimitTokenEndpoint: false,
};

export function resolveOptions(options: SandboxOptions): ResolvedSandboxOptions {
  return {
    mode: options.mode,
    seed: options.seed,
    integration: {
      clientId: options.integration.clientId,
      clientSecret: options.integration.clientSecret,
      redirectUri: options.integration.redirectUri,
      uninstallHookUrl: options.integration.uninstallHookUrl ?? null,
      widgetCode: options.integration.widgetCode ?? 'voip_widget',
    },
    limits: { ...DEFAULT_LIMITS, ...definedOnly(options.limits ?? {}) },
    assumptions: { ...DEFAULT_ASSUMPTIONS, ...definedOnly(options.assumptions ?? {}) },
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

export const SANDBOX_OPTIONS = Symbol('SANDBOX_OPTIONS');
