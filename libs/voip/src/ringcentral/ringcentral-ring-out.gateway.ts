import { ClickToCallFailed, VoipProvider } from '@app/domain';
import type { ClickToCallGateway, ClickToCallPlaced, ClickToCallRequest } from '@app/domain';
import { RingCentralApiError, RingCentralClient } from './ringcentral-client';

/**
 * Click-to-call through RingOut (voip.md §2.5): RingCentral first rings the manager, then connects the customer.
 * The manager's mapped identity is either their RingCentral extension (`rc_<id>` or the bare id; RingOut runs as that
 * extension — placing RingOut for another extension with an admin's JWT is UNCONFIRMED) or a phone number in
 * E.164 (RingOut runs as the JWT's own extension and rings that number first). The call itself reaches us as
 * telephony-session events with `origin.type = RingOut`.
 */
export class RingCentralRingOutGateway implements ClickToCallGateway {
  readonly provider = VoipProvider.RingCentral;

  constructor(private readonly client: RingCentralClient) {}

  async placeCall(request: ClickToCallRequest): Promise<ClickToCallPlaced> {
    const { connection, managerIdentity, customerE164, callerIdE164 } = request;
    if (!connection.credentials.jwt || !connection.credentials.clientId) throw new ClickToCallFailed('not_configured', 'The RingCentral connection has no credentials');
    const identity = managerIdentity.trim();
    const extensionId = /^(?:rc_)?(\d{5,20})$/i.exec(identity)?.[1] ?? null;
    const phone = /^\+\d{6,15}$/.test(identity) ? identity : null;
    if (!extensionId && !phone) throw new ClickToCallFailed('not_configured', `The manager's RingCentral identity "${identity}" is neither an extension id nor an E.164 number`);
    try {
      const placed = await this.client.request<{ id?: unknown }>(connection, 'POST', `/restapi/v1.0/account/~/extension/${extensionId ?? '~'}/ring-out`, {
        body: {
          ...(phone ? { from: { phoneNumber: phone } } : {}),
          to: { phoneNumber: customerE164 },
          ...(callerIdE164 ? { callerId: { phoneNumber: callerIdE164 } } : {}),
          playPrompt: false,
        },
      });
      const id = typeof placed?.id === 'string' || typeof placed?.id === 'number' ? String(placed.id) : null;
      if (!id) throw new ClickToCallFailed('provider_rejected', 'RingCentral accepted the RingOut but returned no id');
      return { providerCallId: id };
    } catch (error) {
      if (error instanceof ClickToCallFailed) throw error;
      if (error instanceof RingCentralApiError) {
        throw new ClickToCallFailed(error.status === 0 || error.status >= 500 ? 'provider_unreachable' : 'provider_rejected', error.message);
      }
      throw new ClickToCallFailed('provider_unreachable', error instanceof Error ? error.message : String(error));
    }
  }
}
