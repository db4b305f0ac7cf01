import { VoipProvider } from '../../../account-settings/voip-connection';
import { e164 } from '../../../call/e164';
import { InMemoryVoipConnectionRepository } from '../../../../test/fakes/in-memory-voip-connection.repository';
import { FakeManagerDevices, FakeSoftphoneTokenIssuer } from '../../../../test/fakes/click-to-call/fake-click-to-call';
import { PrepareSoftphoneCallUseCase } from '../prepare-softphone-call/prepare-softphone-call.use-case';
import { IssueSoftphoneTokenUseCase } from './issue-softphone-token.use-case';

const ACCOUNT = 7;
const MANAGER = 70;
const FULL = { accountSid: 'AC1', authToken: 't', apiKeySid: 'SK1', apiKeySecret: 's', twimlAppSid: 'AP1', callerId: '+14155550123' };

describe('softphone use cases', () => {
  let connections: InMemoryVoipConnectionRepository;
  let devices: FakeManagerDevices;

  beforeEach(async () => {
    connections = new InMemoryVoipConnectionRepository();
    devices = new FakeManagerDevices();
    devices.map(ACCOUNT, MANAGER, { kind: 'phone', e164: e164('+14155550111'), mapped: '+14155550111' }, { kind: 'client', identity: 'anna_70', mapped: 'anna_70' });
    await connect(FULL);
  });

  const connect = (credentials: Record<string, string>, provider = VoipProvider.Twilio) =>
    connections.save({ id: 'c1', accountId: ACCOUNT, provider, pathKey: 'k'.repeat(20), credentials, createdAt: new Date(0), updatedAt: new Date(0) });

  describe('IssueSoftphoneTokenUseCase', () => {
    const sut = () => new IssueSoftphoneTokenUseCase(connections, devices, new FakeSoftphoneTokenIssuer(), 600);

    it("issues a token for the user's client identity with the configured TTL", async () => {
      await expect(sut().execute({ accountId: ACCOUNT, userId: MANAGER })).resolves.toMatchObject({ identity: 'anna_70', ttlSeconds: 600, token: 'token-for-SK1-anna_70' });
    });

    it('needs the API key and the TwiML App (named), but not the caller ID', async () => {
      const { apiKeySecret: _secret, twimlAppSid: _app, callerId: _callerId, ...rest } = FULL;
      await connect(rest);
      await expect(sut().execute({ accountId: ACCOUNT, userId: MANAGER })).rejects.toMatchObject({
        reason: 'not_configured',
        message: expect.stringMatching(/apiKeySecret.*twimlAppSid/),
      });
      await connect({ ...FULL, callerId: '' });
      await expect(sut().execute({ accountId: ACCOUNT, userId: MANAGER })).resolves.toMatchObject({ identity: 'anna_70' });
    });

    it('refuses users without a client identity and non-Twilio connections', async () => {
      await expect(sut().execute({ accountId: ACCOUNT, userId: 71 })).rejects.toMatchObject({ reason: 'not_mapped', message: expect.stringContaining('nothing is mapped') });
      await connect({}, VoipProvider.RingCentral);
      await expect(sut().execute({ accountId: ACCOUNT, userId: MANAGER })).rejects.toMatchObject({ reason: 'not_supported' });
    });
  });

  describe('PrepareSoftphoneCallUseCase', () => {
    it('answers the Voice SDK params with the card clicked, after checking the caller ID too', async () => {
      const sut = new PrepareSoftphoneCallUseCase(connections, devices);
      const command = { accountId: ACCOUNT, userId: MANAGER, customerE164: e164('+5511912345678'), entity: { type: 'contact', id: 5 } as const };
      await expect(sut.execute(command)).resolves.toEqual({ to: '+5511912345678', params: { To: '+5511912345678', KommoEntityType: 'contact', KommoEntityId: '5' } });
      await connect({ ...FULL, callerId: '' });
      await expect(sut.execute(command)).rejects.toMatchObject({ reason: 'not_configured', message: expect.stringContaining('callerId') });
    });
  });
});
