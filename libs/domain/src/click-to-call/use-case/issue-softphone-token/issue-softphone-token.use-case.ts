import { VoipConnectionRepository } from '../../../account-settings/voip-connection';
import { ManagerDevices } from '../../manager-devices.port';
import { requireClientIdentity, requireConnection, requireSoftphoneConnection } from '../../softphone-requirements';
import { SoftphoneToken, SoftphoneTokenIssuer } from '../../softphone-token-issuer.port';

const TOKEN_FIELDS = ['apiKeySid', 'apiKeySecret', 'twimlAppSid'] as const;

/**
 * The manager opens the softphone: a short-lived Voice SDK token for their mapped client identity (incoming
 * calls to that identity, outgoing calls through our TwiML App). The token is a credential: never logged.
 */
export class IssueSoftphoneTokenUseCase {
  constructor(
    private readonly connections: VoipConnectionRepository,
    private readonly devices: ManagerDevices,
    private readonly issuer: SoftphoneTokenIssuer,
    private readonly ttlSeconds: number,
  ) {}

  async execute(command: { readonly accountId: number; readonly userId: number }): Promise<SoftphoneToken> {
    const connection = await requireConnection(this.connections, command.accountId);
    requireSoftphoneConnection(connection, TOKEN_FIELDS);
    const identity = await requireClientIdentity(this.devices, command.accountId, command.userId);
    return this.issuer.issue(connection, identity, this.ttlSeconds);
  }
}
