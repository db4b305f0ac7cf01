import {
  ClickToCallFailed,
  ClickToCallGateway,
  ClickToCallPlaced,
  ClickToCallRequest,
  ManagerDevice,
  ManagerDevices,
  SoftphoneToken,
  SoftphoneTokenIssuer,
  VoipConnection,
  VoipProvider,
} from '../../../src';

/** Devices per (account, user), as the extension map would classify them. */
export class FakeManagerDevices implements ManagerDevices {
  private readonly devices = new Map<string, ManagerDevice[]>();

  map(accountId: number, userId: number, ...devices: ManagerDevice[]): void {
    this.devices.set(`${accountId}:${userId}`, devices);
  }

  async devicesOf(accountId: number, userId: number): Promise<readonly ManagerDevice[]> {
    return this.devices.get(`${accountId}:${userId}`) ?? [];
  }

  async userOfClientIdentity(accountId: number, identity: string): Promise<number | null> {
    for (const [key, devices] of this.devices) {
      const [account, user] = key.split(':').map(Number);
      if (account === accountId && devices.some((device) => device.kind === 'client' && device.identity === identity)) return user;
    }
    return null;
  }
}

/** Records calls; fails with the queued failure instead when one is set. */
export class FakeClickToCallGateway implements ClickToCallGateway {
  readonly placed: ClickToCallRequest[] = [];
  failure: ClickToCallFailed | null = null;

  constructor(readonly provider: VoipProvider = VoipProvider.Twilio) {}

  async placeCall(request: ClickToCallRequest): Promise<ClickToCallPlaced> {
    if (this.failure) throw this.failure;
    this.placed.push(request);
    return { providerCallId: `CA-${this.placed.length}` };
  }
}

export class FakeSoftphoneTokenIssuer implements SoftphoneTokenIssuer {
  issue(connection: VoipConnection, identity: string, ttlSeconds: number): SoftphoneToken {
    return { token: `token-for-${connection.credentials.apiKeySid}-${identity}`, identity, expiresAt: new Date(Date.UTC(2026, 0, 1) + ttlSeconds * 1000), ttlSeconds };
  }
}
