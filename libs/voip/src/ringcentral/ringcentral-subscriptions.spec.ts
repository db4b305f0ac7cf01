import { createHash } from 'node:crypto';
import { DistributedLock, ProviderSubscription, ProviderSubscriptionRepository, ProviderSubscriptionStatus, VoipConnection, VoipProvider } from '@app/domain';
import { RingCentralApiError, RingCentralClient } from './ringcentral-client';
import { isValidRingCentralVerificationToken, RingCentralSubscriptions } from './ringcentral-subscriptions';

const CONNECTION: VoipConnection = {
  id: 'conn-rc',
  accountId: 1,
  provider: VoipProvider.RingCentral,
  pathKey: 'k'.repeat(32),
  credentials: {},
  createdAt: new Date(0),
  updatedAt: new Date(0),
};
const URL_ = 'https://voip.example/voip/ringcentral/kkk/webhook';
const NOW = new Date('2026-11-24T10:00:00Z');

class MemoryRepository implements ProviderSubscriptionRepository {
  saved: ProviderSubscription[] = [];
  async find(): Promise<ProviderSubscription | null> {
    return this.saved.at(-1) ?? null;
  }
  async save(subscription: ProviderSubscription): Promise<void> {
    this.saved.push(subscription);
  }
}

/** RingCentral's subscription API as a script: what GET answers, what was asked. */
function fakeClient(remote: { status?: string; expirationTime?: string } | 'missing') {
  const asked: string[] = [];
  let created = 0;
  const client = {
    request: jest.fn(async (_connection: VoipConnection, method: string, path: string) => {
      asked.push(`${method} ${path}`);
      if (method === 'GET') {
        if (remote === 'missing') throw new RingCentralApiError(404, 'SUB-100', 'not found');
        return remote;
      }
      if (method === 'POST' && path.endsWith('/renew')) return { expirationTime: '2026-12-01T10:00:00Z' };
      if (method === 'POST') return { id: `sub-${++created}`, status: 'Active', expirationTime: '2046-11-19T10:00:00Z' };
      return undefined;
    }),
  };
  return { client: client as unknown as RingCentralClient, asked };
}

const active = (overrides: Partial<ProviderSubscription> = {}): ProviderSubscription => ({
  connectionId: CONNECTION.id,
  accountId: 1,
  provider: VoipProvider.RingCentral,
  subscriptionId: 'sub-0',
  status: ProviderSubscriptionStatus.Active,
  expiresAt: new Date('2046-11-19T10:00:00Z'),
  addressHash: createHash('sha256').update(URL_).digest('hex'),
  verificationToken: 'token-0',
  checkedAt: null,
  recreatedCount: 0,
  error: null,
  ...overrides,
});

describe('RingCentralSubscriptions', () => {
  const options = { eventFilter: '/restapi/v1.0/account/~/telephony/sessions', expiresInSeconds: 630_720_000 };

  it('creates one with a fresh token stored before RingCentral is asked', async () => {
    const repository = new MemoryRepository();
    const { client, asked } = fakeClient('missing');
    const result = await new RingCentralSubscriptions(client, repository, options, () => NOW).ensure(CONNECTION, URL_);
    expect(asked).toEqual(['POST /restapi/v1.0/subscription']);
    expect(repository.saved.map((saved) => saved.status)).toEqual([ProviderSubscriptionStatus.Pending, ProviderSubscriptionStatus.Active]);
    expect(repository.saved[0].verificationToken).toMatch(/^[0-9a-f]{48}$/);
    expect(result).toMatchObject({ subscriptionId: 'sub-1', status: ProviderSubscriptionStatus.Active, recreatedCount: 0, error: null });
    const body = (client.request as jest.Mock).mock.calls[0][3].body;
    expect(body).toEqual({ eventFilters: [options.eventFilter], deliveryMode: { transportType: 'WebHook', address: URL_, verificationToken: repository.saved[0].verificationToken }, expiresIn: 630_720_000 });
  });

  it('only checks a healthy one, renews one close to expiry', async () => {
    const healthy = new MemoryRepository();
    healthy.saved.push(active());
    const first = fakeClient({ status: 'Active', expirationTime: '2046-11-19T10:00:00Z' });
    expect(await new RingCentralSubscriptions(first.client, healthy, options, () => NOW).ensure(CONNECTION, URL_)).toMatchObject({ subscriptionId: 'sub-0', status: 'active' });
    expect(first.asked).toEqual(['GET /restapi/v1.0/subscription/sub-0']);
    const expiring = new MemoryRepository();
    expiring.saved.push(active());
    const second = fakeClient({ status: 'Active', expirationTime: '2026-11-25T10:00:00Z' });
    const renewed = await new RingCentralSubscriptions(second.client, expiring, options, () => NOW).ensure(CONNECTION, URL_);
    expect(second.asked).toEqual(['GET /restapi/v1.0/subscription/sub-0', 'POST /restapi/v1.0/subscription/sub-0/renew']);
    expect(renewed).toMatchObject({ subscriptionId: 'sub-0', expiresAt: new Date('2026-12-01T10:00:00Z'), verificationToken: 'token-0' });
  });

  it.each([
    [{ status: 'Blacklisted', expirationTime: '2046-11-19T10:00:00Z' }, 're-created: RingCentral blacklisted it'],
    [{ status: 'Active', expirationTime: '2026-11-01T00:00:00Z' }, 're-created: it expired (status Active)'],
    ['missing' as const, 're-created: RingCentral no longer has it'],
  ])('re-creates one that is %j (delete, new token)', async (remote, error) => {
    const repository = new MemoryRepository();
    repository.saved.push(active());
    const { client, asked } = fakeClient(remote);
    const result = await new RingCentralSubscriptions(client, repository, options, () => NOW).ensure(CONNECTION, URL_);
    expect(asked).toEqual(['GET /restapi/v1.0/subscription/sub-0', 'DELETE /restapi/v1.0/subscription/sub-0', 'POST /restapi/v1.0/subscription']);
    expect(result).toMatchObject({ subscriptionId: 'sub-1', status: 'active', recreatedCount: 1, error });
    expect(result.verificationToken).not.toBe('token-0');
  });

  it('re-creates when the webhook address changed (rotated key), and records a failed creation', async () => {
    const repository = new MemoryRepository();
    repository.saved.push(active({ addressHash: 'f'.repeat(64) }));
    const failing = { request: jest.fn(async (_c: VoipConnection, method: string) => {
      if (method === 'POST') throw new RingCentralApiError(400, 'SUB-525', 'WebHook server response is invalid');
      return undefined;
    }) } as unknown as RingCentralClient;
    const result = await new RingCentralSubscriptions(failing, repository, options, () => NOW).ensure(CONNECTION, URL_);
    expect(result).toMatchObject({ status: 'error', subscriptionId: null, error: 'creating the subscription failed: WebHook server response is invalid' });
  });
});

describe('RingCentralSubscriptions under a lock', () => {
  it('runs each connection\'s check inside its own cross-process lock', async () => {
    const keys: string[] = [];
    const lock: DistributedLock = {
      run<T>(key: string, _options: unknown, work: () => Promise<T>): Promise<T> {
        keys.push(key);
        return work();
      },
    };
    const { client } = fakeClient('missing');
    await new RingCentralSubscriptions(client, new MemoryRepository(), { eventFilter: 'f', expiresInSeconds: 3600 }, () => NOW, lock).ensure(CONNECTION, URL_);
    expect(keys).toEqual(['ringcentral-subscription:conn-rc']);
  });
});

describe('isValidRingCentralVerificationToken', () => {
  it('accepts only the exact token', () => {
    expect(isValidRingCentralVerificationToken('abc', 'abc')).toBe(true);
    expect(isValidRingCentralVerificationToken('abc', 'abcd')).toBe(false);
    expect(isValidRingCentralVerificationToken('abc', undefined)).toBe(false);
    expect(isValidRingCentralVerificationToken(null, 'abc')).toBe(false);
    expect(isValidRingCentralVerificationToken('', '')).toBe(false);
  });
});
