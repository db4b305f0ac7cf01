import { ClickToCallFailed, VoipProvider } from '@app/domain';
import type { ClickToCallGateway, ClickToCallPlaced, ClickToCallRequest } from '@app/domain';
import { ZenviaApiError, ZenviaClient } from './zenvia-client';

export interface ZenviaClickToCallOptions {
  /** `gravar_audio`: ask Zenvia to record (the recording then reaches the Kommo note through our proxy). */
  readonly recordCalls: boolean;
}

/**
 * Two-leg click-to-call, `POST /chamada` (voip.md §3): Zenvia calls leg A (`numero_origem`, the manager's
 * extension or phone) and, once A answers, leg B (`numero_destino`, the customer). Options are sent flat, as
 * the docs show. `bina_destino` (caller id shown to the customer) must be a number the account owns.
 */
export class ZenviaClickToCallGateway implements ClickToCallGateway {
  readonly provider = VoipProvider.Zenvia;

  constructor(
    private readonly client: ZenviaClient,
    private readonly options: ZenviaClickToCallOptions,
  ) {}

  async placeCall(request: ClickToCallRequest): Promise<ClickToCallPlaced> {
    const { connection, managerIdentity, customerE164, callerIdE164 } = request;
    if (!connection.credentials.accessToken) throw new ClickToCallFailed('not_configured', 'The Zenvia connection has no access token');
    try {
      const data = await this.client.request<{ id?: unknown }>(connection, 'POST', '/chamada', {
        body: {
          numero_origem: managerIdentity.trim(),
          numero_destino: customerE164,
          gravar_audio: this.options.recordCalls,
          ...(callerIdE164 ? { bina_destino: callerIdE164 } : {}),
          tags: 'kommo',
        },
      });
      const id = typeof data?.id === 'number' || typeof data?.id === 'string' ? String(data.id) : null;
      if (!id) throw new ClickToCallFailed('provider_rejected', 'Zenvia accepted the call but returned no id');
      return { providerCallId: id };
    } catch (error) {
      if (error instanceof ClickToCallFailed) throw error;
      if (error instanceof ZenviaApiError) throw new ClickToCallFailed(error.status === 0 || error.status >= 500 ? 'provider_unreachable' : 'provider_rejected', error.message);
      throw new ClickToCallFailed('provider_unreachable', error instanceof Error ? error.message : String(error));
    }
  }
}
