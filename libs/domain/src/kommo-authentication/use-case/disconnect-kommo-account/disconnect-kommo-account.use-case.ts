import { VoipConnectionRepository } from '../../../account-settings/voip-connection';
import { Clock } from '../../../shared/clock.port';
import { KommoAccountRepository } from '../../kommo-account.repository.port';

/**
 * Kommo told us (signed uninstall hook) that the integration was removed from an account:
 * its Kommo tokens and its VoIP credentials are wiped; settings and users stay for a reinstall.
 */
export class DisconnectKommoAccountUseCase {
  constructor(
    private readonly accounts: KommoAccountRepository,
    private readonly connections: VoipConnectionRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: { accountId: number }): Promise<{ disconnected: boolean }> {
    const account = await this.accounts.findById(command.accountId);
    if (!account) return { disconnected: false };
    account.disconnect('uninstalled in Kommo', this.clock.now());
    await this.accounts.save(account);
    await this.connections.removeForAccount(account.id);
    return { disconnected: true };
  }
}
