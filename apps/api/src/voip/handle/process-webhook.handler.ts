import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CLOCK, VOIP_CONNECTION_REPOSITORY } from '@app/application';
import { CallWebhookKind, ReceiveCallWebhookResult, ReceiveCallWebhookUseCase, VoipConnection, VoipProvider } from '@app/domain';
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

@Injectable()
export class ProcessWebhookHandler {
  private readonly cache = new Map<string, { connection: VoipConnection | null; until: number }>();

  constructor(
    @Inject(VOIP_CONNECTION_REPOSITORY) private readonly connections: VoipConnectionRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly receive: ReceiveCallWebhookUseCase,
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
    const connection = await this.connections.findByPathKey(pathKey);
    if (this.cache.size >= CONNECTION_CACHE_MAX) this.cache.clear(); // unknown keys cannot grow it without bound
    this.cache.set(pathKey, { connection, until: now + CONNECTION_CACHE_MS });
    return connection;
  }

  /** Verified delivery → inbox → queue. Never calls Kommo. */
  accept(
    connection: VoipConnection,
    kind: CallWebhookKind,
    dedupeKey: string,
    payload: Readonly<Record<string, unknown>>,
  ): Promise<ReceiveCallWebhookResult> {
    return this.receive.execute({
      accountId: connection.accountId,
      connectionId: connection.id,
      provider: connection.provider,
      kind,
      dedupeKey,
      payload,
      receivedAt: this.clock.now(),
    });
  }
}
