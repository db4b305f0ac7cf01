import { FixedClock, InMemoryKommoAccountRepository, InMemoryVoipConnectionRepository } from '../../../../test/fakes';
import { VoipConnection, VoipProvider } from '../../../account-settings/voip-connection';
import { KommoAccount, KommoAccountStatus } from '../../kommo-account';
import { DisconnectKommoAccountUseCase } from './disconnect-kommo-account.use-case';

const CREATED_AT = new Date('2026-01-01T00:00:00.000Z');

describe('DisconnectKommoAccountUseCase', () => {
  let clock: FixedClock;
  let accounts: InMemoryKommoAccountRepository;
  let connections: InMemoryVoipConnectionRepository;
  let sut: DisconnectKommoAccountUseCase;

  const connection = (accountId: number): VoipConnection => ({
    id: `conn-${accountId}`,
    accountId,
    provider: VoipProvider.Zenvia,
    pathKey: `path-${accountId}`,
    credentials: { accessToken: 'zenvia-secret-token' },
    createdAt: CREATED_AT,
    updatedAt: CREATED_AT,
  });

  beforeEach(async () => {
    clock = new FixedClock();
    accounts = new InMemoryKommoAccountRepository();
    connections = new InMemoryVoipConnectionRepository();
    sut = new DisconnectKommoAccountUseCase(accounts, connections, clock);
    accounts.seed(
      KommoAccount.connect({
        id: 42,
        subdomain: 'acme',
        host: 'acme.kommo.com',
        name: 'Acme',
        grant: { accessToken: 'access', refreshToken: 'refresh', expiresInSeconds: 3600 },
        now: clock.now(),
      }),
    );
    await connections.save(connection(42));
    await connections.save(connection(7));
    clock.advance(60_000);
  });

  it('wipes the Kommo tokens and marks the account disconnected', async () => {
    await expect(sut.execute({ accountId: 42 })).resolves.toEqual({ disconnected: true });

    const stored = accounts.stored(42)!;
    expect(stored.status).toBe(KommoAccountStatus.Disconnected);
    expect(stored.tokens).toBeNull();
    expect(stored.statusReason).toBe('uninstalled in Kommo');
    expect(stored.statusChangedAt).toEqual(clock.now());
  });

  it('removes the account’s VoIP connection and its credentials, and only that one', async () => {
    await sut.execute({ accountId: 42 });

    await expect(connections.findForAccount(42)).resolves.toBeNull();
    await expect(connections.findForAccount(7)).resolves.toEqual(connection(7));
  });

  it('does nothing for an unknown account', async () => {
    await expect(sut.execute({ accountId: 7 })).resolves.toEqual({ disconnected: false });

    expect(accounts.writes).toEqual([]);
    await expect(connections.findForAccount(7)).resolves.not.toBeNull();
  });
});
