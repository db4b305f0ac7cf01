import { AccountSettings, AccountSettingsRepository, defaultAccountSettings } from '../../account-settings';
import { SettingsActor } from '../../settings-actor';
import { maskSecret, VoipConnectionRepository, VoipProvider } from '../../voip-connection';

export interface VoipConnectionView {
  readonly id: string;
  readonly provider: VoipProvider;
  readonly pathKey: string;
  /** Each stored credential, masked. */
  readonly credentials: Readonly<Record<string, string>>;
  readonly updatedAt: Date;
}

export interface AccountSettingsView {
  readonly settings: AccountSettings;
  readonly connection: VoipConnectionView | null;
}

/** A user of the account opens the integration's settings window. */
export class GetAccountSettingsUseCase {
  constructor(
    private readonly settings: AccountSettingsRepository,
    private readonly connections: VoipConnectionRepository,
  ) {}

  async execute(command: { actor: SettingsActor }): Promise<AccountSettingsView> {
    const accountId = command.actor.accountId;
    const settings = (await this.settings.find(accountId)) ?? defaultAccountSettings(accountId);
    const connection = await this.connections.findForAccount(accountId);
    return {
      settings,
      connection: connection && {
        id: connection.id,
        provider: connection.provider,
        pathKey: connection.pathKey,
        credentials: Object.fromEntries(
          Object.entries(connection.credentials).map(([field, value]) => [field, maskSecret(value)]),
        ),
        updatedAt: connection.updatedAt,
      },
    };
  }
}
