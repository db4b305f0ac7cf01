import {
  aKommoUser,
  FixedClock,
  InMemoryAccountSettingsRepository,
  InMemoryKommoUserRepository,
} from '../../../../test/fakes';
import { defaultAccountSettings, MAX_MISSED_CALL_TASK_DELAY_MINUTES, UnknownNumberPolicy } from '../../account-settings';
import { InvalidSettingsError, NotAccountAdminError } from '../../account-settings.errors';
import { SettingsActor } from '../../settings-actor';
import { UpdateAccountSettingsUseCase } from './update-account-settings.use-case';

const ADMIN: SettingsActor = { accountId: 42, userId: 1, isAdmin: true };
const MANAGER: SettingsActor = { accountId: 42, userId: 5, isAdmin: false };

describe('UpdateAccountSettingsUseCase', () => {
  let clock: FixedClock;
  let settings: InMemoryAccountSettingsRepository;
  let users: InMemoryKommoUserRepository;
  let sut: UpdateAccountSettingsUseCase;

  const problemsOf = async (promise: Promise<unknown>): Promise<readonly string[]> => {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InvalidSettingsError);
    return (error as InvalidSettingsError).problems;
  };

  beforeEach(async () => {
    clock = new FixedClock();
    settings = new InMemoryAccountSettingsRepository();
    users = new InMemoryKommoUserRepository();
    sut = new UpdateAccountSettingsUseCase(settings, users, clock);
    await users.replaceForAccount(
      42,
      [aKommoUser({ accountId: 42, id: 1, isAdmin: true }), aKommoUser({ accountId: 42, id: 5 }), aKommoUser({ accountId: 42, id: 6, isActive: false })],
      clock.now(),
    );
    await users.replaceForAccount(7, [aKommoUser({ accountId: 7, id: 70 })], clock.now());
  });

  it('refuses a user who is not an administrator and saves nothing', async () => {
    await expect(sut.execute({ actor: MANAGER, patch: { recordingEnabled: false } })).rejects.toBeInstanceOf(NotAccountAdminError);
    expect(settings.saves).toBe(0);
  });

  it('applies the patch over the defaults when nothing is stored, stamped with who and when', async () => {
    const saved = await sut.execute({ actor: ADMIN, patch: { recordingEnabled: false, defaultResponsibleUserId: 5 } });

    expect(saved).toEqual({
      ...defaultAccountSettings(42),
      recordingEnabled: false,
      defaultResponsibleUserId: 5,
      updatedAt: clock.now(),
      updatedByUserId: 1,
    });
    await expect(settings.find(42)).resolves.toEqual(saved);
  });

  it('keeps stored values the patch does not mention (undefined means unchanged)', async () => {
    await sut.execute({ actor: ADMIN, patch: { unknownNumberPolicy: UnknownNumberPolicy.CreateContact, missedCallTaskDelayMinutes: 30 } });
    clock.advance(1000);

    const saved = await sut.execute({ actor: ADMIN, patch: { recordingEnabled: false, missedCallTaskDelayMinutes: undefined } });

    expect(saved).toMatchObject({
      unknownNumberPolicy: UnknownNumberPolicy.CreateContact,
      missedCallTaskDelayMinutes: 30,
      recordingEnabled: false,
      updatedAt: clock.now(),
    });
  });

  it('clears the responsible user and the missed-call task with null', async () => {
    await sut.execute({ actor: ADMIN, patch: { defaultResponsibleUserId: 5, missedCallTaskDelayMinutes: 30 } });

    const saved = await sut.execute({ actor: ADMIN, patch: { defaultResponsibleUserId: null, missedCallTaskDelayMinutes: null } });

    expect(saved.defaultResponsibleUserId).toBeNull();
    expect(saved.missedCallTaskDelayMinutes).toBeNull();
  });

  it('refuses a responsible user unknown to the account', async () => {
    await expect(problemsOf(sut.execute({ actor: ADMIN, patch: { defaultResponsibleUserId: 999 } }))).resolves.toEqual([
      'defaultResponsibleUserId 999 is not a user of this account',
    ]);
    expect(settings.saves).toBe(0);
  });

  it('refuses a responsible user of another account', async () => {
    await expect(problemsOf(sut.execute({ actor: ADMIN, patch: { defaultResponsibleUserId: 70 } }))).resolves.toEqual([
      'defaultResponsibleUserId 70 is not a user of this account',
    ]);
  });

  it('refuses an inactive responsible user', async () => {
    await expect(problemsOf(sut.execute({ actor: ADMIN, patch: { defaultResponsibleUserId: 6 } }))).resolves.toEqual([
      'defaultResponsibleUserId 6 is an inactive user',
    ]);
  });

  it.each([-1, MAX_MISSED_CALL_TASK_DELAY_MINUTES + 1])('refuses a missed-call delay of %d minutes', async (delay) => {
    await expect(problemsOf(sut.execute({ actor: ADMIN, patch: { missedCallTaskDelayMinutes: delay } }))).resolves.toEqual([
      `missedCallTaskDelayMinutes must be between 0 and ${MAX_MISSED_CALL_TASK_DELAY_MINUTES}`,
    ]);
    expect(settings.saves).toBe(0);
  });

  it.each([0, MAX_MISSED_CALL_TASK_DELAY_MINUTES])('accepts a missed-call delay of %d minutes', async (delay) => {
    await expect(sut.execute({ actor: ADMIN, patch: { missedCallTaskDelayMinutes: delay } })).resolves.toMatchObject({
      missedCallTaskDelayMinutes: delay,
    });
  });

  it('lists every problem at once and saves nothing', async () => {
    const problems = await problemsOf(
      sut.execute({ actor: ADMIN, patch: { defaultResponsibleUserId: 999, missedCallTaskDelayMinutes: -5, recordingEnabled: false } }),
    );

    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('defaultResponsibleUserId 999');
    expect(problems.join('\n')).toContain('missedCallTaskDelayMinutes');
    expect(settings.saves).toBe(0);
  });

  it('saves the routing settings; the ring group is deduplicated', async () => {
    const saved = await sut.execute({ actor: ADMIN, patch: { smartForwardingEnabled: false, defaultRingGroup: [5, 1, 5], ringSeconds: 120, autoRedial: true } });
    expect(saved).toMatchObject({ smartForwardingEnabled: false, defaultRingGroup: [5, 1], ringSeconds: 120, autoRedial: true, openLeadOnAnswer: true });
  });

  it('refuses ring times outside 5–120 s and ring groups with inactive or foreign users', async () => {
    expect(await problemsOf(sut.execute({ actor: ADMIN, patch: { ringSeconds: 4 } }))).toEqual(['ringSeconds must be an integer between 5 and 120']);
    expect(await problemsOf(sut.execute({ actor: ADMIN, patch: { ringSeconds: 30.5 } }))).toHaveLength(1);
    expect(await problemsOf(sut.execute({ actor: ADMIN, patch: { defaultRingGroup: [5, 6, 70] } }))).toEqual([
      'defaultRingGroup: user 6 is an inactive user',
      'defaultRingGroup: user 70 is not a user of this account',
    ]);
    expect(settings.saves).toBe(0);
  });
});
