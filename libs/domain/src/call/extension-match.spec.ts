import { pickExtensionMatch } from './extension-match';

describe('pickExtensionMatch', () => {
  it.each([
    ['nobody', [], { kind: 'none' }],
    ['one exact', [{ userId: 7, exact: true }], { kind: 'matched', userId: 7, by: 'exact' }],
    ['exact wins over user-part matches', [{ userId: 8, exact: false }, { userId: 7, exact: true }, { userId: 9, exact: false }], { kind: 'matched', userId: 7, by: 'exact' }],
    ['one user by user part (twice)', [{ userId: 7, exact: false }, { userId: 7, exact: false }], { kind: 'matched', userId: 7, by: 'user_part' }],
    ['two users by user part', [{ userId: 9, exact: false }, { userId: 7, exact: false }], { kind: 'ambiguous', userIds: [7, 9] }],
    ['two users by the same exact key', [{ userId: 9, exact: true }, { userId: 7, exact: true }], { kind: 'ambiguous', userIds: [7, 9] }],
  ])('%s', (_name, candidates, expected) => {
    expect(pickExtensionMatch(candidates)).toEqual(expected);
  });
});
