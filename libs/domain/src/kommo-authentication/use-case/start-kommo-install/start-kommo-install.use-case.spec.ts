import { FixedClock, InMemoryOAuthStateStore, SequentialSecureRandom } from '../../../../test/fakes';
import { INSTALL_STATE_TTL_MS, StartKommoInstallUseCase } from './start-kommo-install.use-case';

describe('StartKommoInstallUseCase', () => {
  let clock: FixedClock;
  let states: InMemoryOAuthStateStore;
  let random: SequentialSecureRandom;
  let sut: StartKommoInstallUseCase;

  beforeEach(() => {
    clock = new FixedClock();
    states = new InMemoryOAuthStateStore(clock);
    random = new SequentialSecureRandom('state');
    sut = new StartKommoInstallUseCase(states, random);
  });

  it('issues a state from 32 bytes of secure randomness', async () => {
    const { state } = await sut.execute();

    expect(state).toBe('state-1');
    expect(random.requestedBytes).toEqual([32]);
    expect(states.isLive(state)).toBe(true);
  });

  it('issues a different state per start', async () => {
    const first = await sut.execute();
    const second = await sut.execute();

    expect(first.state).not.toBe(second.state);
    expect(states.isLive(first.state) && states.isLive(second.state)).toBe(true);
  });

  it('issues a state that can be consumed exactly once', async () => {
    const { state } = await sut.execute();

    await expect(states.consume(state)).resolves.toBe(true);
    await expect(states.consume(state)).resolves.toBe(false);
  });

  it('issues a state that expires after ten minutes', async () => {
    const { state } = await sut.execute();
    expect(INSTALL_STATE_TTL_MS).toBe(10 * 60_000);

    clock.advance(INSTALL_STATE_TTL_MS - 1);
    expect(states.isLive(state)).toBe(true);
    clock.advance(1);
    await expect(states.consume(state)).resolves.toBe(false);
  });
});
