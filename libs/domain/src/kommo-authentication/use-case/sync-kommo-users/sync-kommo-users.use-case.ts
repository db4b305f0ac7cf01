import { Clock } from '../../../shared/clock.port';
import { KommoUserDirectory, KommoUserRepository } from '../../kommo-user';

/** Keeps our copy of the account's Kommo users (admins, managers, active flags) current. */
export class SyncKommoUsersUseCase {
  constructor(
    private readonly directory: KommoUserDirectory,
    private readonly users: KommoUserRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: { accountId: number }): Promise<{ users: number }> {
    const users = await this.directory.listUsers(command.accountId);
    await this.users.replaceForAccount(command.accountId, users, this.clock.now());
    return { users: users.length };
  }
}
