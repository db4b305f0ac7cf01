import { aKommoUser, FixedClock, InMemoryAccountSettingsRepository, InMemoryKommoUserRepository } from '../../../../test/fakes';
import { defaultAccountSettings } from '../../../account-settings/account-settings';
import { E164, e164 } from '../../../call/e164';
import { CallerDirectory, CallerMatch } from '../../../caller-id/caller';
import { ManagerIdentities, MappedIdentity } from '../../port/manager-identities.port';
import { RouteInboundCallUseCase } from './route-inbound-call.use-case';

class FakeIdentities implements ManagerIdentities {
  constructor(private readonly rows: MappedIdentity[]) {}
  async listForAccount(): Promise<readonly MappedIdentity[]> {
    return this.rows;
  }
}

class FakeCallers implements CallerDirectory {
  readonly asked: E164[] = [];
  constructor(private readonly answer: () => Promise<CallerMatch | null>) {}
  findByPhone(_accountId: number, phone: E164): Promise<CallerMatch | null> {
    this.asked.push(phone);
    return this.answer();
  }
}

const JOHN: CallerMatch = { name: 'John', entity: { type: 'contact', id: 1, name: 'John' }, activeLead: { id: 5, name: 'Deal', responsibleUserId: 2 }, responsibleUserId: 3 };
const CALLER = e164('+14155550100');

describe('RouteInboundCallUseCase', () => {
  let settings: InMemoryAccountSettingsRepository;
  let users: InMemoryKommoUserRepository;
  const identities = new FakeIdentities([
    { extension: 'alice', userId: 2 },
    { extension: 'bob', userId: 3 },
  ]);
  const sutWith = (callers: CallerDirectory, budgetMs = 200) => new RouteInboundCallUseCase(settings, identities, users, callers, { lookupBudgetMs: budgetMs });

  beforeEach(async () => {
    settings = new InMemoryAccountSettingsRepository();
    users = new InMemoryKommoUserRepository();
    await users.replaceForAccount(9, [aKommoUser({ accountId: 9, id: 2 }), aKommoUser({ accountId: 9, id: 3 })], new FixedClock().now());
  });

  it('rings the active lead\'s manager, with the account\'s ring time and recording setting', async () => {
    const sut = sutWith(new FakeCallers(async () => JOHN));
    const route = await sut.execute({ accountId: 9, caller: CALLER });
    expect(route).toMatchObject({ reason: 'responsible_manager', lookup: 'found', ringSeconds: 25, recordingEnabled: true, caller: JOHN });
    expect(route.targets).toEqual([{ userId: 2, identity: 'alice' }]);
  });

  it('does not look the caller up when smart forwarding is off, or the number is withheld', async () => {
    await settings.save({ ...defaultAccountSettings(9), smartForwardingEnabled: false, ringSeconds: 10 });
    const callers = new FakeCallers(async () => JOHN);
    const off = await sutWith(callers).execute({ accountId: 9, caller: CALLER });
    expect(off).toMatchObject({ reason: 'ring_group', lookup: 'skipped', ringSeconds: 10 });
    await settings.save({ ...defaultAccountSettings(9) });
    expect(await sutWith(callers).execute({ accountId: 9, caller: null })).toMatchObject({ reason: 'ring_group', lookup: 'skipped' });
    expect(callers.asked).toEqual([]);
  });

  it('takes the ring group when the lookup outlives its budget or fails', async () => {
    const slow = sutWith(new FakeCallers(() => new Promise((resolve) => setTimeout(() => resolve(JOHN), 500))), 20);
    const started = Date.now();
    expect(await slow.execute({ accountId: 9, caller: CALLER })).toMatchObject({ reason: 'ring_group', lookup: 'timeout', caller: null });
    expect(Date.now() - started).toBeLessThan(300);
    const failing = sutWith(new FakeCallers(() => Promise.reject(new Error('Kommo 503'))));
    expect(await failing.execute({ accountId: 9, caller: CALLER })).toMatchObject({ reason: 'ring_group', lookup: 'error' });
  });
});
