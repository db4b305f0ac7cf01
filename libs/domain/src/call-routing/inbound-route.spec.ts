import { CallerMatch } from '../caller-id/caller';
import { decideInboundRoute, InboundRouteInput } from './inbound-route';

const MAPPED = [
  { extension: 'alice', userId: 1 },
  { extension: '+14155550111', userId: 1 },
  { extension: 'bob', userId: 2 },
  { extension: 'carol', userId: 3 },
  { extension: 'dave', userId: 4 },
];
const ACTIVE = new Set([1, 2, 3]);

const caller = (responsible: number | null, leadResponsible?: number | null): CallerMatch => ({
  name: 'John',
  entity: { type: 'contact', id: 10, name: 'John' },
  activeLead: leadResponsible === undefined ? null : { id: 20, name: 'Deal', responsibleUserId: leadResponsible },
  responsibleUserId: responsible,
});
const input = (overrides: Partial<InboundRouteInput>): InboundRouteInput => ({
  mapped: MAPPED,
  activeUserIds: ACTIVE,
  ringGroup: [],
  caller: null,
  lookup: 'not_found',
  ...overrides,
});
const identities = (route: ReturnType<typeof decideInboundRoute>) => route.targets.map((target) => target.identity);

describe('decideInboundRoute', () => {
  it('rings every identity of the active lead\'s responsible manager', () => {
    const route = decideInboundRoute(input({ caller: caller(2, 1), lookup: 'found' }));
    expect(route.reason).toBe('responsible_manager');
    expect(identities(route)).toEqual(['alice', '+14155550111']);
  });

  it('takes the contact\'s responsible manager when there is no active lead (or it has no owner)', () => {
    expect(identities(decideInboundRoute(input({ caller: caller(2), lookup: 'found' })))).toEqual(['bob']);
    expect(identities(decideInboundRoute(input({ caller: caller(3, null), lookup: 'found' })))).toEqual(['carol']);
  });

  it('falls back to the ring group when the responsible manager is inactive or not mapped', () => {
    const inactive = decideInboundRoute(input({ caller: caller(4), lookup: 'found', ringGroup: [3] }));
    expect(inactive.reason).toBe('ring_group');
    expect(identities(inactive)).toEqual(['carol']);
    expect(identities(decideInboundRoute(input({ caller: caller(99), lookup: 'found', ringGroup: [2] })))).toEqual(['bob']);
  });

  it('rings every active mapped manager when the group is empty or nobody in it is reachable', () => {
    expect(identities(decideInboundRoute(input({})))).toEqual(['alice', '+14155550111', 'bob', 'carol']);
    expect(identities(decideInboundRoute(input({ ringGroup: [4, 99] })))).toEqual(['alice', '+14155550111', 'bob', 'carol']);
  });

  it('goes to voicemail when nobody can be rung', () => {
    const route = decideInboundRoute(input({ mapped: [{ extension: 'dave', userId: 4 }], lookup: 'timeout' }));
    expect(route).toEqual({ reason: 'voicemail', targets: [], caller: null, lookup: 'timeout' });
  });
});
