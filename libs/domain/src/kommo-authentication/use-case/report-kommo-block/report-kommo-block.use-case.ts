import { Clock } from '../../../shared/clock.port';
import { KommoAccountStatus } from '../../kommo-account';
import { KommoAccountRepository } from '../../kommo-account.repository.port';

/**
 * Kommo blocked an account for us (403 on every request, confirmed by the worker with a harmless read):
 * the account is marked blocked — visible in the widget and the CLI — and every later task of it is
 * parked instead of hitting Kommo again. Other accounts are not affected.
 */
export class ReportKommoBlockUseCase {
  constructor(
    private readonly accounts: KommoAccountRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: { accountId: number; reason: string }): Promise<{ blocked: boolean }> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const account = await this.accounts.findById(command.accountId);
      if (!account) return { blocked: false };
      if (account.status === KommoAccountStatus.Blocked) return { blocked: true };
      if (account.status !== KommoAccountStatus.Connected) return { blocked: false };
      const version = account.tokenVersion;
      account.markBlocked(command.reason, this.clock.now());
      if (await this.accounts.saveIfTokenVersion(account, version)) return { blocked: true };
    }
    return { blocked: false };
  }
}
