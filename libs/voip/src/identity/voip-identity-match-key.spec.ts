import { pickExtensionMatch } from '@app/domain';
import { voipIdentityMatchKey } from './voip-identity-match-key';

describe('voipIdentityMatchKey', () => {
  it.each([
    ['1001', { exact: '1001', user: '1001' }],
    [' 1001 ', { exact: '1001', user: '1001' }],
    ['sip:1001@pbx.example.com', { exact: 'sip:1001@pbx.example.com', user: '1001' }],
    ['SIP:1001@PBX.example.com;transport=udp', { exact: 'sip:1001@pbx.example.com', user: '1001' }],
    ['sips:1001@pbx.example.com:5061', { exact: 'sip:1001@pbx.example.com', user: '1001' }],
    ['"Front desk" <sip:1001@10.0.0.5>;tag=abc', { exact: 'sip:1001@10.0.0.5', user: '1001' }],
    ['sip:Alice@pbx.example.com?subject=x', { exact: 'sip:Alice@pbx.example.com', user: 'Alice' }],
    ['sip:alice%40home@pbx.example.com', { exact: 'sip:alice@home@pbx.example.com', user: 'alice@home' }],
    ['Bob@PBX.example.com', { exact: 'sip:Bob@pbx.example.com', user: 'Bob' }],
    ['sip:1001', { exact: '1001', user: '1001' }],
    ['client:Alice', { exact: 'client:Alice', user: null }],
    ['CLIENT:Alice', { exact: 'client:Alice', user: null }],
    ['alice', { exact: 'client:alice', user: null }],
    ['+1 (415) 555-0123', { exact: '+14155550123', user: null }],
    ['+14155550123', { exact: '+14155550123', user: null }],
    ['*7', { exact: '*7', user: null }],
  ])('%s → %j', (raw, key) => {
    expect(voipIdentityMatchKey(raw)).toEqual(key);
  });

  it('has no key for an empty identity', () => {
    expect(voipIdentityMatchKey('  ')).toBeNull();
    expect(voipIdentityMatchKey('client:')).toBeNull();
  });
});

/** The whole rule over a small map: keys made at the edge, compared as the adapter's query compares them. */
describe('matching a reported identity against the extension map', () => {
  const creditOf = (map: readonly [string, number][], reported: string) => {
    const key = voipIdentityMatchKey(reported)!;
    const candidates = map.flatMap(([mapped, userId]) => {
      const stored = voipIdentityMatchKey(mapped)!;
      if (stored.exact === key.exact) return [{ userId, exact: true }];
      return key.user !== null && stored.user === key.user ? [{ userId, exact: false }] : [];
    });
    return pickExtensionMatch(candidates);
  };

  it.each<[string, [string, number][], string, ReturnType<typeof pickExtensionMatch>]>([
    ['bare extension → SIP URI mapping', [['sip:1001@pbx.example.com', 7]], '1001', { kind: 'matched', userId: 7, by: 'user_part' }],
    ['SIP URI → bare extension mapping', [['1001', 7]], 'sip:1001@10.0.0.5', { kind: 'matched', userId: 7, by: 'user_part' }],
    ['other host, one manager with the user part', [['sip:1001@pbx.example.com', 7]], 'sip:1001@10.0.0.5', { kind: 'matched', userId: 7, by: 'user_part' }],
    ['case and parameters', [['sip:1001@pbx.example.com', 7]], 'SIP:1001@PBX.example.com;transport=udp', { kind: 'matched', userId: 7, by: 'exact' }],
    ['exact beats a user-part match', [['sip:1001@a.example.com', 7], ['sip:1001@b.example.com', 8]], 'sip:1001@b.example.com', { kind: 'matched', userId: 8, by: 'exact' }],
    ['exact bare extension beats SIP URIs', [['sip:1001@a.example.com', 7], ['1001', 9]], '1001', { kind: 'matched', userId: 9, by: 'exact' }],
    ['two managers by user part only → ambiguous', [['sip:1001@a.example.com', 7], ['sip:1001@b.example.com', 8]], '1001', { kind: 'ambiguous', userIds: [7, 8] }],
    ['one manager under two hosts is not ambiguous', [['sip:1001@a.example.com', 7], ['sip:1001@b.example.com', 7]], 'sip:1001@c.example.com', { kind: 'matched', userId: 7, by: 'user_part' }],
    ['SIP user part is case-sensitive', [['sip:Alice@pbx.example.com', 7]], 'sip:alice@pbx.example.com', { kind: 'none' }],
    ['client names are case-sensitive', [['client:Alice', 7]], 'client:alice', { kind: 'none' }],
    ['client prefix optional', [['alice', 7]], 'client:alice', { kind: 'matched', userId: 7, by: 'exact' }],
    ['a client does not match a SIP user', [['client:alice', 7]], 'sip:alice@pbx.example.com', { kind: 'none' }],
    ['phones by E.164', [['+14155550123', 7]], '+1 415-555-0123', { kind: 'matched', userId: 7, by: 'exact' }],
    ['a different extension', [['sip:1001@pbx.example.com', 7]], '1002', { kind: 'none' }],
    ['no leading-zero folding', [['1001', 7]], '01001', { kind: 'none' }],
  ])('%s', (_name, map, reported, expected) => {
    expect(creditOf(map, reported)).toEqual(expected);
  });
});
