import { VoipConnectionRepository } from '../../../account-settings/voip-connection';
import { E164 } from '../../../call/e164';
import { KommoCardRef } from '../../kommo-entities.port';
import { ManagerDevices } from '../../manager-devices.port';
import { requireClientIdentity, requireConnection, requireSoftphoneConnection } from '../../softphone-requirements';

export interface PrepareSoftphoneCallCommand {
  readonly accountId: number;
  readonly userId: number;
  readonly customerE164: E164;
  /** The card the manager clicked the number on, passed along as custom parameters of the call. */
  readonly entity: KommoCardRef | null;
}

export interface SoftphoneCallPlan {
  readonly to: E164;
  /** What the widget passes to `device.connect({ params })`: they reach our /outbound TwiML route. */
  readonly params: Readonly<Record<string, string>>;
}

/** Fields the outbound TwiML and the Voice SDK need to place a softphone call. */
const SOFTPHONE_CALL_FIELDS = ['apiKeySid', 'apiKeySecret', 'twimlAppSid', 'callerId'] as const;

/**
 * Click-to-call with the browser softphone: the widget's Voice SDK device places the call through our TwiML
 * App; before it does, we check everything that would make it fail (number, mapping, configuration).
 */
export class PrepareSoftphoneCallUseCase {
  constructor(
    private readonly connections: VoipConnectionRepository,
    private readonly devices: ManagerDevices,
  ) {}

  async execute(command: PrepareSoftphoneCallCommand): Promise<SoftphoneCallPlan> {
    const connection = await requireConnection(this.connections, command.accountId);
    requireSoftphoneConnection(connection, SOFTPHONE_CALL_FIELDS);
    await requireClientIdentity(this.devices, command.accountId, command.userId);
    const params: Record<string, string> = { To: command.customerE164 };
    if (command.entity) {
      params.KommoEntityType = command.entity.type;
      params.KommoEntityId = String(command.entity.id);
    }
    return { to: command.customerE164, params };
  }
}
