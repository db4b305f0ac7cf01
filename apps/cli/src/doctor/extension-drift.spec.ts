import { extensionMapDrift } from './extension-drift';

describe('extensionMapDrift', () => {
  const users = [
    { id: 1001, name: 'Alice', isActive: true },
    { id: 1004, name: 'Dora', isActive: false },
  ];

  it('finds deactivated and unknown users and an extension mapped twice', () => {
    const problems = extensionMapDrift(
      [
        { extension: '101', userId: 1001 },
        { extension: 'client:Dora', userId: 1004 },
        { extension: '105', userId: 9999 },
        { extension: 'CLIENT:dora', userId: 1001 },
      ],
      users,
    );
    expect(problems.map((problem) => [problem.kind, problem.extension])).toEqual([
      ['inactive_user', 'client:Dora'],
      ['unknown_user', '105'],
      ['duplicate_extension', 'CLIENT:dora'],
    ]);
    expect(problems[0].detail).toContain('Dora (1004)');
  });

  it('reports nothing for a clean map; digit extensions compare exactly', () => {
    expect(extensionMapDrift([{ extension: '0101', userId: 1001 }, { extension: '101', userId: 1001 }], users)).toEqual([]);
  });
});
