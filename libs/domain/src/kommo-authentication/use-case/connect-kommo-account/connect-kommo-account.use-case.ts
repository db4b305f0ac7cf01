import { Clock } from '../../../shared/clock.port';
import { ParkedTaskRepository } from '../../../task/parked-task.repository.port';
import { syncKommoUsersTask } from '../../../task/task';
import { TaskQueue } from '../../../task/task-queue.port';
import { KommoAccount } from '../../kommo-account';
import { KommoAccountRepository } from '../../kommo-account.repository.port';
import { ForeignRefererError, InstallStateInvalidError } from '../../kommo-authentication.errors';
import { KommoAccountHostPolicy, KommoOAuth, OAuthStateStore } from '../../kommo-oauth.port';
import { ConnectKommoAccountCommand } from './connect-kommo-account.command';

export interface ConnectKommoAccountResult {
  readonly accountId: number;
  readonly subdomain: string;
  readonly reconnected: boolean;
  readonly resumedTasks: number;
}

/**
 * An administrator authorised the integration in Kommo (button or widget install): we exchange the code,
 * bind the tenant to the account Kommo reports, store the tokens and queue the users sync.
 * Nothing is stored unless every step succeeded (no half-created account).
 */
export class ConnectKommoAccountUseCase {
  constructor(
    private readonly hostPolicy: KommoAccountHostPolicy,
    private readonly states: OAuthStateStore,
    private readonly oauth: KommoOAuth,
    private readonly accounts: KommoAccountRepository,
    private readonly parkedTasks: ParkedTaskRepository,
    private readonly tasks: TaskQueue,
    private readonly clock: Clock,
  ) {}

  async execute(command: ConnectKommoAccountCommand): Promise<ConnectKommoAccountResult> {
    // 1. The referer decides where our client secret goes: check it before anything else.
    const host = this.hostPolicy.accountHostOf(command.referer);
    if (!host) throw new ForeignRefererError(command.referer);

    // 2. CSRF: the button flow must carry a state we issued, used once. The widget flow has none.
    if (!command.fromWidget) {
      if (!command.state || !(await this.states.consume(command.state))) {
        throw new InstallStateInvalidError();
      }
    }

    // 3. Exchange the code, then ask Kommo which account these tokens belong to.
    const grant = await this.oauth.exchangeAuthorizationCode(host, command.code);
    const info = await this.oauth.fetchAccount(host, grant.accessToken);

    const now = this.clock.now();
    const existing = await this.accounts.findById(info.id);
    const account =
      existing ??
      KommoAccount.connect({ id: info.id, subdomain: info.subdomain, host, name: info.name, country: info.country, grant, now });
    if (existing) existing.reconnect({ subdomain: info.subdomain, host, name: info.name, country: info.country, grant, now });
    await this.accounts.save(account);

    await this.tasks.enqueue(syncKommoUsersTask(account.id, `connect-${now.getTime()}`));
    // Work parked while the account needed re-authorisation runs again now. A new dedupe key gives it
    // a new job: the parked attempt's job is still remembered (as completed) by the queue.
    const parked = await this.parkedTasks.listForAccount(account.id);
    for (const task of parked) {
      await this.tasks.enqueue({ ...task, dedupeKey: `${task.dedupeKey}-resumed-${now.getTime()}` });
    }
    await this.parkedTasks.remove(account.id, parked);

    return {
      accountId: account.id,
      subdomain: account.subdomain,
      reconnected: existing !== null,
      resumedTasks: parked.length,
    };
  }
}
