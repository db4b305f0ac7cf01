import { AccountSettingsRepository, defaultAccountSettings } from '../../../account-settings/account-settings';
import { E164 } from '../../../call/e164';
import { CallerDirectory, CallerMatch } from '../../../caller-id/caller';
import { KommoUserRepository } from '../../../kommo-authentication/kommo-user';
import { CallerLookupOutcome, decideInboundRoute, InboundRoute } from '../../inbound-route';
import { ManagerIdentities } from '../../port/manager-identities.port';

export interface RouteInboundCallOptions {
  /** The caller lookup's time budget: past it, the call takes the default route (the provider is waiting). */
  readonly lookupBudgetMs: number;
}

export interface RouteInboundCallResult extends InboundRoute {
  readonly ringSeconds: number;
  readonly recordingEnabled: boolean;
}

/**
 * Smart forwarding (spec: "smart forwarding"): an inbound call rings the manager responsible for the caller in
 * Kommo — the active lead's, else the contact's — and falls back to the account's ring group, then to voicemail.
 * Answers within the lookup budget even when Kommo is slow (the lookup then continues and fills its cache).
 */
export class RouteInboundCallUseCase {
  constructor(
    private readonly settings: AccountSettingsRepository,
    private readonly identities: ManagerIdentities,
    private readonly users: KommoUserRepository,
    private readonly callers: CallerDirectory,
    private readonly options: RouteInboundCallOptions,
  ) {}

  async execute(command: { accountId: number; caller: E164 | null }): Promise<RouteInboundCallResult> {
    const { accountId, caller } = command;
    const settings = (await this.settings.find(accountId)) ?? defaultAccountSettings(accountId);
    const smart = settings.smartForwardingEnabled && caller !== null;
    const [mapped, users, lookup] = await Promise.all([
      this.identities.listForAccount(accountId),
      this.users.findForAccount(accountId),
      smart ? this.lookUp(accountId, caller) : Promise.resolve({ outcome: 'skipped' as const, match: null }),
    ]);
    const route = decideInboundRoute({
      mapped,
      activeUserIds: new Set(users.filter((user) => user.isActive).map((user) => user.id)),
      ringGroup: settings.defaultRingGroup,
      caller: lookup.match,
      lookup: lookup.outcome,
    });
    return { ...route, ringSeconds: settings.ringSeconds, recordingEnabled: settings.recordingEnabled };
  }

  private async lookUp(accountId: number, phone: E164): Promise<{ outcome: CallerLookupOutcome; match: CallerMatch | null }> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const budget = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.lookupBudgetMs);
    });
    const lookup = this.callers.findByPhone(accountId, phone).then(
      (match) => ({ outcome: match ? ('found' as const) : ('not_found' as const), match }),
      () => ({ outcome: 'error' as const, match: null }),
    );
    try {
      const first = await Promise.race([lookup, budget]);
      return first === 'timeout' ? { outcome: 'timeout', match: null } : first;
    } finally {
      clearTimeout(timer);
    }
  }
}
