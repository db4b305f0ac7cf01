import { VoipConnectionRepository } from '../../../account-settings/voip-connection';
import { E164 } from '../../../call/e164';
import { ClickToCallFailed, ClickToCallGateway } from '../../click-to-call-gateway.port';
import { CallActionError } from '../../click-to-call.errors';
import { ManagerDevice, ManagerDevices } from '../../manager-devices.port';
import { describe, requireConnection } from '../../softphone-requirements';

export interface PlaceClickToCallCommand {
  readonly accountId: number;
  readonly userId: number;
  /** The customer's number, normalised to E.164 at the edge. */
  readonly customerE164: E164;
}

/**
 * Click-to-call without the softphone ("callback"): the provider rings the manager's own device first (their
 * mapped phone number, else SIP URI), then bridges the customer. The provider is the connection's; its gateway
 * does the rest. Every refusal is a `CallActionError` the manager sees.
 */
export class PlaceClickToCallUseCase {
  constructor(
    private readonly connections: VoipConnectionRepository,
    private readonly devices: ManagerDevices,
    private readonly gateways: readonly ClickToCallGateway[],
  ) {}

  async execute(command: PlaceClickToCallCommand): Promise<{ readonly providerCallId: string }> {
    const connection = await requireConnection(this.connections, command.accountId);
    const gateway = this.gateways.find((candidate) => candidate.provider === connection.provider);
    if (!gateway) throw new CallActionError('not_supported', `Click-to-call through ${connection.provider} is not supported yet`);
    const mapped = await this.devices.devicesOf(command.accountId, command.userId);
    const device = mapped.find((candidate) => candidate.kind === 'phone') ?? mapped.find((candidate) => candidate.kind === 'sip');
    if (!device) {
      throw new CallActionError(
        'not_mapped',
        `To be called back first, your Kommo user needs a phone number (E.164, e.g. +14155550100) or a sip: URI in the extension map${describe(mapped)}`,
      );
    }
    try {
      return await gateway.placeCall({
        connection,
        managerIdentity: identityOf(device),
        customerE164: command.customerE164,
        callerIdE164: connection.credentials.callerId ?? null,
      });
    } catch (error) {
      if (!(error instanceof ClickToCallFailed)) throw error;
      switch (error.reason) {
        case 'not_configured':
          throw new CallActionError('not_configured', error.message);
        case 'provider_rejected':
          throw new CallActionError('provider_error', error.message, { providerCode: error.providerCode });
        case 'provider_unreachable':
          throw new CallActionError('provider_unreachable', error.message, { timedOut: error.timedOut });
      }
    }
  }
}

function identityOf(device: ManagerDevice): string {
  switch (device.kind) {
    case 'phone':
      return device.e164;
    case 'sip':
      return device.uri;
    case 'client':
      return `client:${device.identity}`;
    case 'other':
      return device.mapped;
  }
}
