import { Clock } from '../../../shared/clock.port';
import { KommoUserRepository } from '../../../kommo-authentication/kommo-user';
import {
  AccountSettings,
  AccountSettingsPatch,
  AccountSettingsRepository,
  defaultAccountSettings,
  MAX_MISSED_CALL_TASK_DELAY_MINUTES,
  MAX_RING_GROUP_SIZE,
  MAX_RING_SECONDS,
  MIN_RING_SECONDS,
} from '../../account-settings';
import { InvalidSettingsError, NotAccountAdminError } from '../../account-settings.errors';
import { SettingsActor } from '../../settings-actor';

/** An account administrator changes the integration's defaults in the settings window. */
export class UpdateAccountSettingsUseCase {
  constructor(
    private readonly settings: AccountSettingsRepository,
    private readonly users: KommoUserRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: { actor: SettingsActor; patch: AccountSettingsPatch }): Promise<AccountSettings> {
    const { actor, patch } = command;
    if (!actor.isAdmin) throw new NotAccountAdminError();

    const problems: string[] = [];
    if (patch.defaultResponsibleUserId !== undefined && patch.defaultResponsibleUserId !== null) {
      const user = await this.users.findOne(actor.accountId, patch.defaultResponsibleUserId);
      if (!user) problems.push(`defaultResponsibleUserId ${patch.defaultResponsibleUserId} is not a user of this account`);
      else if (!user.isActive) problems.push(`defaultResponsibleUserId ${patch.defaultResponsibleUserId} is an inactive user`);
    }
    const delay = patch.missedCallTaskDelayMinutes;
    if (delay !== undefined && delay !== null && (delay < 0 || delay > MAX_MISSED_CALL_TASK_DELAY_MINUTES)) {
      problems.push(`missedCallTaskDelayMinutes must be between 0 and ${MAX_MISSED_CALL_TASK_DELAY_MINUTES}`);
    }
    const ringSeconds = patch.ringSeconds;
    if (ringSeconds !== undefined && (!Number.isInteger(ringSeconds) || ringSeconds < MIN_RING_SECONDS || ringSeconds > MAX_RING_SECONDS)) {
      problems.push(`ringSeconds must be an integer between ${MIN_RING_SECONDS} and ${MAX_RING_SECONDS}`);
    }
    if (patch.defaultRingGroup !== undefined) problems.push(...(await this.ringGroupProblems(actor.accountId, patch.defaultRingGroup)));
    if (problems.length > 0) throw new InvalidSettingsError(problems);

    const current = (await this.settings.find(actor.accountId)) ?? defaultAccountSettings(actor.accountId);
    const next: AccountSettings = {
      ...current,
      ...definedOnly(patch),
      ...(patch.defaultRingGroup !== undefined ? { defaultRingGroup: [...new Set(patch.defaultRingGroup)] } : {}),
      updatedAt: this.clock.now(),
      updatedByUserId: actor.userId,
    };
    await this.settings.save(next);
    return next;
  }

  /** Every member must be an active user of the account (an inactive one would never answer). */
  private async ringGroupProblems(accountId: number, group: readonly number[]): Promise<string[]> {
    if (group.length > MAX_RING_GROUP_SIZE) return [`defaultRingGroup may list at most ${MAX_RING_GROUP_SIZE} users`];
    const users = new Map((await this.users.findForAccount(accountId)).map((user) => [user.id, user]));
    return group.flatMap((userId) => {
      const user = users.get(userId);
      if (!user) return [`defaultRingGroup: user ${userId} is not a user of this account`];
      return user.isActive ? [] : [`defaultRingGroup: user ${userId} is an inactive user`];
    });
  }
}

function definedOnly(patch: AccountSettingsPatch): AccountSettingsPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}
