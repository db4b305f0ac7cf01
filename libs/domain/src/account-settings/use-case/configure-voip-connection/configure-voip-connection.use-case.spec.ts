import { FixedClock, InMemoryVoipConnectionRepository, SequentialSecureRandom } from '../../../../test/fakes';
import { InvalidSettingsError, NotAccountAdminError } from '../../account-settings.errors';
import { SettingsActor } from '../../settings-actor';
import { VoipProvider } from '../../voip-connection';
import { ConfigureVoipConnectionCommand, ConfigureVoipConnectionUseCase } from './configure-voip-connection.use-case';

const ADMIN: SettingsActor = { accountId: 42, userId: 1, isAdmin: true };
const MANAGER: SettingsActor = { accountId: 42, userId: 5, isAdmin: false };
const TWILIO = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'b'.repeat(32) };

describe('ConfigureVoipConnectionUseCase', () => {
  let clock: FixedClock;
  let connections: InMemoryVoipConnectionRepository;
  let random: SequentialSecureRandom;
  let sut: ConfigureVoipConnectionUseCase;

  const configure = (overrides: Partial<ConfigureVoipConnectionCommand>) =>
    sut.execute({ actor: ADMIN, provider: VoipProvider.Twilio, credentials: {}, rotateKeys: false, ...overrides });

  const problemsOf = async (promise: Promise<unknown>): Promise<readonly string[]> => {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InvalidSettingsError);
    return (error as InvalidSettingsError).problems;
  };

  beforeEach(() => {
    clock = new FixedClock();
    connections = new InMemoryVoipConnectionRepository();
    random = new SequentialSecureRandom();
    sut = new ConfigureVoipConnectionUseCase(connections, random, clock);
  });

  it('refuses a user who is not an administrator and saves nothing', async () => {
    await expect(configure({ actor: MANAGER, credentials: TWILIO })).rejects.toBeInstanceOf(NotAccountAdminError);
    expect(connections.saves).toBe(0);
  });

  it('refuses fields the provider does not have, naming each', async () => {
    const problems = await problemsOf(configure({ credentials: { ...TWILIO, password: 'x', region: 'y' } }));

    expect(problems).toEqual(['credentials.password is not a twilio credential', 'credentials.region is not a twilio credential']);
    expect(connections.saves).toBe(0);
  });

  it('refuses a generated secret entered by hand', async () => {
    await expect(
      problemsOf(configure({ provider: VoipProvider.GenericPbx, credentials: { signingSecret: 'mine' } })),
    ).resolves.toEqual(['credentials.signingSecret is not a generic_pbx credential']);
  });

  it('refuses missing required fields, naming each', async () => {
    const problems = await problemsOf(configure({ provider: VoipProvider.RingCentral, credentials: { clientId: 'id' } }));

    expect(problems).toEqual(['credentials.clientSecret is required for ringcentral', 'credentials.jwt is required for ringcentral']);
    expect(connections.saves).toBe(0);
  });

  it('treats an empty required value as missing', async () => {
    await expect(problemsOf(configure({ credentials: { ...TWILIO, authToken: '' } }))).resolves.toEqual([
      'credentials.authToken is required for twilio',
    ]);
  });

  it('creates a connection with a fresh path key and nothing generated for Twilio', async () => {
    const result = await configure({ credentials: TWILIO });

    expect(result.generatedSecrets).toEqual({});
    expect(result.provider).toBe(VoipProvider.Twilio);
    const stored = (await connections.findForAccount(42))!;
    expect(stored).toEqual({
      id: result.connectionId,
      accountId: 42,
      provider: VoipProvider.Twilio,
      pathKey: result.pathKey,
      credentials: TWILIO,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    expect(result.pathKey).toMatch(/^random-\d+$/);
    expect(result.connectionId).not.toBe(result.pathKey);
  });

  describe('generic PBX signing secret', () => {
    it('is generated on creation, stored and shown once', async () => {
      const result = await configure({ provider: VoipProvider.GenericPbx });

      const secret = result.generatedSecrets.signingSecret;
      expect(secret).toEqual(expect.any(String));
      expect(Object.keys(result.generatedSecrets)).toEqual(['signingSecret']);
      expect((await connections.findForAccount(42))!.credentials).toEqual({ signingSecret: secret });
      expect(random.requestedBytes).toContain(32);
    });

    it('is kept and not shown again when the same provider is saved again', async () => {
      const first = await configure({ provider: VoipProvider.GenericPbx });
      clock.advance(1000);

      const second = await configure({ provider: VoipProvider.GenericPbx });

      expect(second.generatedSecrets).toEqual({});
      expect(second.pathKey).toBe(first.pathKey);
      expect(second.connectionId).toBe(first.connectionId);
      const stored = (await connections.findForAccount(42))!;
      expect(stored.credentials).toEqual({ signingSecret: first.generatedSecrets.signingSecret });
      expect(stored.createdAt).not.toEqual(stored.updatedAt);
    });

    it('is replaced, with the path key, when keys are rotated', async () => {
      const first = await configure({ provider: VoipProvider.GenericPbx });
      clock.advance(1000);

      const rotated = await configure({ provider: VoipProvider.GenericPbx, rotateKeys: true });

      expect(rotated.generatedSecrets.signingSecret).toEqual(expect.any(String));
      expect(rotated.generatedSecrets.signingSecret).not.toBe(first.generatedSecrets.signingSecret);
      expect(rotated.pathKey).not.toBe(first.pathKey);
      expect(rotated.connectionId).toBe(first.connectionId);
      const stored = (await connections.findForAccount(42))!;
      expect(stored.credentials).toEqual({ signingSecret: rotated.generatedSecrets.signingSecret });
      expect(stored.pathKey).toBe(rotated.pathKey);
      expect(stored.updatedAt).toEqual(clock.now());
    });
  });

  describe('same provider', () => {
    it('keeps the path key and the credentials left out', async () => {
      const first = await configure({ credentials: { ...TWILIO, apiKeySid: `SK${'c'.repeat(32)}` } });
      clock.advance(1000);

      const second = await configure({ credentials: { authToken: 'd'.repeat(32) } });

      expect(second.pathKey).toBe(first.pathKey);
      expect(second.connectionId).toBe(first.connectionId);
      const stored = (await connections.findForAccount(42))!;
      expect(stored.credentials).toEqual({ accountSid: TWILIO.accountSid, authToken: 'd'.repeat(32), apiKeySid: `SK${'c'.repeat(32)}` });
      expect(stored.createdAt).toEqual(new Date(clock.now().getTime() - 1000));
      expect(stored.updatedAt).toEqual(clock.now());
    });

    it('issues a new path key when keys are rotated and keeps the credentials', async () => {
      const first = await configure({ credentials: TWILIO });

      const rotated = await configure({ rotateKeys: true });

      expect(rotated.pathKey).not.toBe(first.pathKey);
      expect(rotated.generatedSecrets).toEqual({});
      expect((await connections.findForAccount(42))!.credentials).toEqual(TWILIO);
    });
  });

  describe('switching provider', () => {
    it('drops the old provider’s credentials and issues a new path key', async () => {
      const twilio = await configure({ credentials: TWILIO });

      const zenvia = await configure({ provider: VoipProvider.Zenvia, credentials: { accessToken: 'zenvia-token' } });

      expect(zenvia.pathKey).not.toBe(twilio.pathKey);
      const stored = (await connections.findForAccount(42))!;
      expect(stored.provider).toBe(VoipProvider.Zenvia);
      expect(stored.credentials).toEqual({ accessToken: 'zenvia-token' });
    });

    it('requires the new provider’s fields even if the old one had them', async () => {
      await configure({ credentials: TWILIO });

      await expect(problemsOf(configure({ provider: VoipProvider.Zenvia }))).resolves.toEqual([
        'credentials.accessToken is required for zenvia',
      ]);
      expect((await connections.findForAccount(42))!.provider).toBe(VoipProvider.Twilio);
    });

    it('generates a signing secret when switching to the generic PBX', async () => {
      await configure({ credentials: TWILIO });

      const pbx = await configure({ provider: VoipProvider.GenericPbx });

      expect(pbx.generatedSecrets.signingSecret).toEqual(expect.any(String));
      expect((await connections.findForAccount(42))!.credentials).toEqual({ signingSecret: pbx.generatedSecrets.signingSecret });
    });

    it('generates a new signing secret when coming back to the generic PBX', async () => {
      const pbx = await configure({ provider: VoipProvider.GenericPbx });
      await configure({ credentials: TWILIO });

      const again = await configure({ provider: VoipProvider.GenericPbx });

      expect(again.generatedSecrets.signingSecret).toEqual(expect.any(String));
      expect(again.generatedSecrets.signingSecret).not.toBe(pbx.generatedSecrets.signingSecret);
    });
  });

  it('keeps connections of different accounts apart', async () => {
    const mine = await configure({ credentials: TWILIO });
    const theirs = await configure({ actor: { accountId: 7, userId: 70, isAdmin: true }, credentials: TWILIO });

    expect(theirs.connectionId).not.toBe(mine.connectionId);
    expect(theirs.pathKey).not.toBe(mine.pathKey);
    expect((await connections.findForAccount(42))!.pathKey).toBe(mine.pathKey);
  });
});
