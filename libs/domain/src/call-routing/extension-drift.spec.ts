import { findExtensionDrift } from './extension-drift';

describe('findExtensionDrift', () => {
  const users = [
    { id: 1, name: 'Ann', isActive: true },
    { id: 2, name: 'Ben', isActive: false },
  ];

  it('lists inactive or vanished users, two spellings of one identity, and identities seen but mapped to nobody', () => {
    const drift = findExtensionDrift({
      entries: [
        { extension: 'client:ann', userId: 1, canonical: 'ann', aliases: ['ann', 'client:ann'] },
        { extension: 'Ann', userId: 2, canonical: 'Ann', aliases: ['ann'] },
        { extension: 'sip:101@pbx.test', userId: 3, canonical: 'sip:101@pbx.test', aliases: ['sip:101@pbx.test', '101'] },
      ],
      users,
      seen: [
        { extension: '101', lastSeenAt: new Date('2026-11-24T10:00:00Z'), calls: 3 },
        { extension: 'Zoe', lastSeenAt: new Date('2026-11-24T11:00:00Z'), calls: 2 },
      ],
    });
    expect(drift.inactiveUsers).toEqual([
      { userId: 2, name: 'Ben', extension: 'Ann' },
      { userId: 3, name: null, extension: 'sip:101@pbx.test' },
    ]);
    expect(drift.duplicateExtensions).toEqual([{ extension: 'ann', userIds: [1, 2] }]);
    expect(drift.unmappedSeen).toEqual([{ extension: 'Zoe', lastSeenAt: '2026-11-24T11:00:00.000Z', calls: 2 }]);
  });

  it('reports nothing for a clean map', () => {
    expect(findExtensionDrift({ entries: [{ extension: 'ann', userId: 1, canonical: 'ann', aliases: ['ann'] }], users, seen: [] })).toEqual({
      inactiveUsers: [],
      duplicateExtensions: [],
      unmappedSeen: [],
    });
  });
});
