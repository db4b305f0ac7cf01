import { InMemoryAccountSettingsRepository, InMemoryVoipConnectionRepository } from '../../../../test/fakes';
import { AccountSettings, defaultAccountSettings, UnknownNumberPolicy } from '../../account-settings';
import { SettingsActor } from '../../settings-actor';
import { VoipProvider } from '../../voip-connection';
import { GetAccountSettingsUseCase } from './get-account-settings.use-case';

const MANAGER: SettingsActor = { accountId: 42, userId: 5, isAdmin: false };

describe('GetAccountSettingsUseCase', () => {
  let settings: InMemoryAccountSettingsRepository;
  let connections: InMemoryVoipConnectionRepository;
  let sut: GetAccountSettingsUseCase;

  beforeEach(() => {
    settings = new InMemoryAccountSettingsRepository();
    connections = new InMemoryVoipConnectionRepository();
    sut = new GetAccountSettingsUseCase(settings, connections);
  });

  it('answers the defaults and no connection when nothing is stored', async () => {
    await expect(sut.execute({ actor: MANAGER })).resolves.toEqual({
      settings: {
        accountId: 42,
        defaultResponsibleUserId: null,
        unknownNumberPolicy: UnknownNumberPolicy.IncomingLead,
        missedCallTaskDelayMinutes: 15,
        incomingLeadPipelineId: null,
        recordingEnabled: true,
        smartForwardingEnabled: true,
        defaultRingGroup: [],
        ringSeconds: 25,
        kommoCallNotifications: false,
        openLeadOnAnswer: true,
        callResultModal: true,
        autoRedial: false,
        updatedAt: null,
        updatedByUserId: null,
      },
      connection: null,
    });
  });

  it('answers the stored settings of the actor’s account', async () => {
    const stored: AccountSettings = {
      ...defaultAccountSettings(42),
      unknownNumberPolicy: UnknownNumberPolicy.Ignore,
      recordingEnabled: false,
      updatedAt: new Date('2026-01-01T00:00:00Z'),
      updatedByUserId: 1,
    };
    await settings.save(stored);
    await settings.save({ ...defaultAccountSettings(7), recordingEnabled: true });

    await expect(sut.execute({ actor: MANAGER })).resolves.toMatchObject({ settings: stored });
  });

  it('masks every stored credential and never returns one in clear', async () => {
    const credentials = { accountSid: `AC${'0123456789abcdef'.repeat(2)}`, authToken: 'fedcba9876543210'.repeat(2), apiKeySid: 'short' };
    const updatedAt = new Date('2026-01-02T00:00:00Z');
    await connections.save({
      id: 'conn-1',
      accountId: 42,
      provider: VoipProvider.Twilio,
      pathKey: 'path-key-1',
      credentials,
      createdAt: updatedAt,
      updatedAt,
    });

    const { connection } = await sut.execute({ actor: MANAGER });

    expect(connection).toEqual({
      id: 'conn-1',
      provider: VoipProvider.Twilio,
      pathKey: 'path-key-1',
      credentials: { accountSid: '••••••••cdef', authToken: '••••••••3210', apiKeySid: '••••••••' },
      updatedAt,
    });
    const shown = JSON.stringify(connection);
    for (const secret of Object.values(credentials)) expect(shown).not.toContain(secret);
  });
});
