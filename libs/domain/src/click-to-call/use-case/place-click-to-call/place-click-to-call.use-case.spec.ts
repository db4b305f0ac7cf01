import { e164 } from '../../../call/e164';
import { VoipProvider } from '../../../account-settings/voip-connection';
import { ClickToCallFailed } from '../../click-to-call-gateway.port';
import { CallActionError } from '../../click-to-call.errors';
import { InMemoryVoipConnectionRepository } from '../../../../test/fakes/in-memory-voip-connection.repository';
import { FakeClickToCallGateway, FakeManagerDevices } from '../../../../test/fakes/click-to-call/fake-click-to-call';
import { PlaceClickToCallUseCase } from './place-click-to-call.use-case';

const ACCOUNT = 7;
const MANAGER = 70;
const CUSTOMER = e164('+5511912345678');

describe('PlaceClickToCallUseCase', () => {
  let connections: InMemoryVoipConnectionRepository;
  let devices: FakeManagerDevices;
  let twilio: FakeClickToCallGateway;
  let sut: PlaceClickToCallUseCase;

  beforeEach(async () => {
    connections = new InMemoryVoipConnectionRepository();
    devices = new FakeManagerDevices();
    twilio = new FakeClickToCallGateway();
    sut = new PlaceClickToCallUseCase(connections, devices, [twilio]);
    await connect(VoipProvider.Twilio, { accountSid: 'AC1', authToken: 't', callerId: '+14155550123' });
  });

  const connect = (provider: VoipProvider, credentials: Record<string, string>) =>
    connections.save({ id: 'c1', accountId: ACCOUNT, provider, pathKey: 'k'.repeat(20), credentials, createdAt: new Date(0), updatedAt: new Date(0) });
  const place = () => sut.execute({ accountId: ACCOUNT, userId: MANAGER, customerE164: CUSTOMER });
  const failure = async () => {
    try {
      await place();
    } catch (error) {
      if (error instanceof CallActionError) return error;
      throw error;
    }
    throw new Error('no failure');
  };

  it("rings the manager's phone first (else their SIP URI), with the connection's caller ID", async () => {
    devices.map(ACCOUNT, MANAGER, { kind: 'client', identity: 'anna', mapped: 'anna' }, { kind: 'sip', uri: 'sip:anna@pbx.test', mapped: 'sip:anna@pbx.test' }, { kind: 'phone', e164: e164('+14155550111'), mapped: '+14155550111' });
    await expect(place()).resolves.toEqual({ providerCallId: 'CA-1' });
    expect(twilio.placed[0]).toMatchObject({ managerIdentity: '+14155550111', customerE164: CUSTOMER, callerIdE164: '+14155550123' });

    devices.map(ACCOUNT, MANAGER, { kind: 'sip', uri: 'sip:anna@pbx.test', mapped: 'sip:anna@pbx.test' });
    await place();
    expect(twilio.placed[1].managerIdentity).toBe('sip:anna@pbx.test');
  });

  it('says what kind of identity is missing (not_mapped), listing what is mapped', async () => {
    devices.map(ACCOUNT, MANAGER, { kind: 'client', identity: 'anna', mapped: 'client:anna' });
    const error = await failure();
    expect(error.reason).toBe('not_mapped');
    expect(error.message).toContain('phone number (E.164');
    expect(error.message).toContain('client:anna');
    expect(twilio.placed).toEqual([]);
  });

  it.each([
    [new ClickToCallFailed('provider_rejected', 'Twilio refused the call (error 21211): bad To', '21211'), 'provider_error', { providerCode: '21211' }],
    [new ClickToCallFailed('provider_unreachable', 'Twilio did not answer in time', null, true), 'provider_unreachable', { timedOut: true }],
    [new ClickToCallFailed('not_configured', 'no callerId'), 'not_configured', {}],
  ])('turns the gateway failure %p into %s', async (thrown, reason, details) => {
    devices.map(ACCOUNT, MANAGER, { kind: 'phone', e164: e164('+14155550111'), mapped: '+14155550111' });
    twilio.failure = thrown;
    const error = await failure();
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(thrown.message);
    expect(error.details).toMatchObject(details);
  });

  it('refuses accounts without a connection (not_connected) and providers without a gateway (not_supported)', async () => {
    await connect(VoipProvider.GenericPbx, {});
    expect((await failure()).reason).toBe('not_supported');
    await connections.removeForAccount(ACCOUNT);
    expect((await failure()).reason).toBe('not_connected');
  });
});
