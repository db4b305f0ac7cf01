import { Inject, Injectable, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { CallWebhookSpoolMetrics, CLOCK, VOIP_CONNECTION_REPOSITORY } from '@app/application';
import { CallWebhookKind, CallWebhookNotStoredError, ReceiveCallWebhookResult, ReceiveCallWebhookUseCase, VoipConnection, VoipProvider } from '@app/domain';
import type { Clock, VoipConnectionRepository } from '@app/domain';

/**
 * Spec node Voip/Handle: the provider-independent half of every webhook. The tenant comes from the
 * unguessable path key (then the provider signature, checked by the controller with the connection's
 * secret) — never from the body.
 */
/**
 * Connections are cached this long per process: a webhook burst does not read and decrypt the same row for
 * every delivery. Changing credentials or rotating the webhook key takes effect within this time.
 */
const CONNECTION_CACHE_MS = 5_000;
const CONNECTION_CACHE_MAX = 10_000;
/**
 * When PostgreSQL does not answer a refresh within this bound (down, hung), the last known connection is used
 * (stale-if-error): webhooks keep being verified and spooled during the outage. A connection never seen by
 * this process cannot be verified then: 503.
 */
const CONNECTION_REFRESH_TIMEOUT_MS = 250;
/** A stale connection is used at most this long after it was last read (then: 503 until PostgreSQL answers). */
const CONNECTION_STALE_MAX_MS = 15 * 60_000;
/** Spool use is logged once when it starts, then summed up at most this often. */
const SPOOL_LOG_EVERY_MS = 5_000;

interface CachedConnection {
  readonly connection: VoipConnection | null;
  readonly until: number;
  readonly readAt: number;
}

@Injectable()
export class ProcessWebhookHandler {
  private readonly logger = new Logger('WebhookIngest');
  private readonly cache = new Map<string, CachedConnection>();
  private readonly refreshing = new Map<string, Promise<VoipConnection | null>>();
  private spooledSinceLog = 0;
  private spoolLoggedAt = 0;

  constructor(
    @Inject(VOIP_CONNECTION_REPOSITORY) private readonly connections: VoipConnectionRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly receive: ReceiveCallWebhookUseCase,
    private readonly spoolMetrics: CallWebhookSpoolMetrics,
  ) {}

  /** The connection behind a webhook URL; 404 for unknown keys and for another provider's URL. */
  async connectionFor(provider: VoipProvider, pathKey: string): Promise<VoipConnection> {
    const connection = /^[A-Za-z0-9_-]{16,128}$/.test(pathKey) ? await this.cachedConnection(pathKey) : null;
    if (!connection || connection.provider !== provider) throw new NotFoundException('Unknown webhook URL');
    return connection;
  }

  private async cachedConnection(pathKey: string): Promise<VoipConnection | null> {
    const now = Date.now();
    const cached = this.cache.get(pathKey);
    if (cached && cached.until > now) return cached.connection;
    const refresh = this.refresh(pathKey);
    if (!cached || cached.connection === null || now - cached.readAt > CONNECTION_STALE_MAX_MS) {
      return refresh.catch((error: unknown) => {
        this.logger.warn(`webhook connection lookup failed, answering 503: ${messageOf(error)}`);
        throw new ServiceUnavailableException('Webhook URL not verifiable now (database unavailable); send it again later');
      });
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stale = new Promise<VoipConnection>((resolve) => {
      timer = setTimeout(() => resolve(cached.connection!), CONNECTION_REFRESH_TIMEOUT_MS);
    });
    try {
      return await Promise.race([refresh.catch(() => cached.connection!), stale]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One read per key at a time; the cache is updated whenever it answers, even after a caller gave up waiting. */
  private refresh(pathKey: string): Promise<VoipConnection | null> {
    const running = this.refreshing.get(pathKey);
    if (running) return running;
    const read = this.connections
      .findByPathKey(pathKey)
      .then((connection) => {
        const now = Date.now();
        if (this.cache.size >= CONNECTION_CACHE_MAX) this.cache.clear(); // unknown keys cannot grow it without bound
        this.cache.set(pathKey, { connection, until: now + CONNECTION_CACHE_MS, readAt: now });
        return connection;
      })
      .finally(() => this.refreshing.delete(pathKey));
    read.catch(() => undefined); // callers that gave up do not leave an unhandled rejection
    this.refreshing.set(pathKey, read);
    return read;
  }

  /**
   * Verified delivery → inbox → queue (or → spool when the inbox is unavailable). Never calls Kommo.
   * Throws CallWebhookNotStoredError (503) when neither could store it.
   */
  async accept(
    connection: VoipConnection,
    kind: CallWebhookKind,
    dedupeKey: string,
    payload: Readonly<Record<string, unknown>>,
  ): Promise<ReceiveCallWebhookResult> {
    try {
      const result = await this.receive.execute({
        accountId: connection.accountId,
        connectionId: connection.id,
        provider: connection.provider,
        kind,
        dedupeKey,
        payload,
        receivedAt: this.clock.now(),
      });
      if (result.stored === 'spool') this.spooled(connection, result.duplicate, result.inboxFailure);
      return result;
    } catch (error) {
      if (error instanceof CallWebhookNotStoredError) {
        this.spoolMetrics.refusedDelivery(connection.provider);
        this.logger.error(`${connection.provider} delivery for account ${connection.accountId} refused (503): inbox ${error.inboxFailure}; spool ${error.spoolFailure}`);
      }
      throw error;
    }
  }

  /** Counted every time; logged when spooling starts, then as a count at most every SPOOL_LOG_EVERY_MS. */
  private spooled(connection: VoipConnection, duplicate: boolean, inboxFailure: string): void {
    this.spoolMetrics.spooledDelivery(connection.provider, duplicate);
    this.spooledSinceLog += 1;
    const now = Date.now();
    if (now - this.spoolLoggedAt < SPOOL_LOG_EVERY_MS) return;
    this.logger.warn(`inbox unavailable (${inboxFailure}): ${this.spooledSinceLog} webhook deliveries acknowledged through the Redis spool since the last report; the worker drains them when PostgreSQL is back`);
    this.spooledSinceLog = 0;
    this.spoolLoggedAt = now;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
