import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../data-source.options';
import { InvalidExtensionMappingError, TypeOrmExtensionDirectory } from './typeorm-extension-directory';

const ACCOUNT = 31_000_001;

describe('TypeOrmExtensionDirectory (PostgreSQL)', () => {
  let dataSource: DataSource;
  let sut: TypeOrmExtensionDirectory;

  beforeAll(async () => {
    dataSource = await new DataSource(buildDataSourceOptions(process.env.DATABASE_URL!)).initialize();
    sut = new TypeOrmExtensionDirectory(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
  });
  beforeEach(async () => {
    await dataSource.query('TRUNCATE voip_extension');
  });

  it('matches host and scheme case-insensitively, client names and digit extensions exactly', async () => {
    await sut.replaceForAccount(ACCOUNT, [
      { extension: '101', userId: 11, connectionId: null },
      { extension: ' client:Alice ', userId: 12, connectionId: 'conn-1' },
      { extension: 'Bob@PBX.example.com', userId: 13, connectionId: null },
    ]);

    expect(await sut.findUserId(ACCOUNT, '101')).toBe(11);
    expect(await sut.findUserId(ACCOUNT, '0101')).toBeNull();
    expect(await sut.findUserId(ACCOUNT, '1010')).toBeNull();
    expect(await sut.findUserId(ACCOUNT, 'CLIENT:Alice')).toBe(12);
    expect(await sut.findUserId(ACCOUNT, 'Alice')).toBe(12);
    expect(await sut.findUserId(ACCOUNT, 'client:alice')).toBeNull(); // Twilio client names are case-sensitive
    expect(await sut.findUserId(ACCOUNT, 'sip:Bob@pbx.example.com')).toBe(13);
    expect(await sut.findUserId(ACCOUNT, 'bob@pbx.example.com')).toBeNull(); // so is a SIP user part
    expect(await sut.findUserId(ACCOUNT, '   ')).toBeNull();
    expect(await sut.findUserId(ACCOUNT + 1, '101')).toBeNull();
  });

  it('credits any spelling of a SIP identity: user part ↔ bare extension, other host, parameters', async () => {
    await sut.replaceForAccount(ACCOUNT, [
      { extension: 'sip:1001@pbx.example.com', userId: 21, connectionId: null },
      { extension: '1002', userId: 22, connectionId: null },
    ]);

    expect(await sut.findUserId(ACCOUNT, '1001')).toBe(21);
    expect(await sut.findUserId(ACCOUNT, 'sip:1001@10.0.0.5')).toBe(21);
    expect(await sut.findUserId(ACCOUNT, 'SIP:1001@PBX.example.com;transport=udp')).toBe(21);
    expect(await sut.findUserId(ACCOUNT, 'sip:1002@pbx.example.com')).toBe(22);
    expect(await sut.findUserId(ACCOUNT, '<sip:1002@10.0.0.5:5060>;tag=x')).toBe(22);
    expect(await sut.findUserId(ACCOUNT, '1003')).toBeNull();
    expect(await sut.findUserId(ACCOUNT + 1, '1001')).toBeNull();
  });

  it('an exact match wins; two managers by user part only credit nobody and warn once per call', async () => {
    const warnings: unknown[] = [];
    const directory = new TypeOrmExtensionDirectory(dataSource, (event) => warnings.push(event));
    await directory.replaceForAccount(ACCOUNT, [
      { extension: 'sip:1001@a.example.com', userId: 31, connectionId: null },
      { extension: 'sip:1001@b.example.com', userId: 32, connectionId: null },
      { extension: 'sip:2001@a.example.com', userId: 33, connectionId: null },
      { extension: 'sip:2001@b.example.com', userId: 33, connectionId: null },
    ]);

    expect(await directory.findUserId(ACCOUNT, 'sip:1001@B.example.com;transport=tcp', 'call-1')).toBe(32);
    expect(await directory.findUserId(ACCOUNT, '2001', 'call-1')).toBe(33); // one manager under two hosts
    expect(warnings).toEqual([]);

    expect(await directory.findUserId(ACCOUNT, '1001', 'call-1')).toBeNull();
    expect(await directory.findUserId(ACCOUNT, 'sip:1001@c.example.com', 'call-1')).toBeNull();
    expect(await directory.findUserId(ACCOUNT, '1001', 'call-2')).toBeNull();
    expect(warnings).toEqual([
      { accountId: ACCOUNT, identity: '1001', userIds: [31, 32], callId: 'call-1' },
      { accountId: ACCOUNT, identity: '1001', userIds: [31, 32], callId: 'call-2' },
    ]);
  });

  it('looks several identities up in one query, first match in the order given', async () => {
    await sut.replaceForAccount(ACCOUNT, [
      { extension: 'sip:1001@pbx.example.com', userId: 41, connectionId: null },
      { extension: 'client:bob', userId: 42, connectionId: null },
    ]);
    const spy = jest.spyOn(dataSource, 'query'); // calls through
    try {
      expect(await sut.findUserIdAmong(ACCOUNT, ['+14155550123', 'bob', '1001'])).toBe(42);
      expect(await sut.findUserIdAmong(ACCOUNT, ['+14155550123', '1001', 'client:bob'])).toBe(41);
      expect(await sut.findUserIdAmong(ACCOUNT, ['+14155550123', '9999'])).toBeNull();
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
  });

  it('uses the match-key indexes (no scan of the account identities)', async () => {
    const entries = Array.from({ length: 2_000 }, (_, index) => ({ extension: `sip:${10_000 + index}@pbx.example.com`, userId: 1 + (index % 50), connectionId: null }));
    await sut.replaceForAccount(ACCOUNT, entries);
    await dataSource.query('ANALYZE voip_extension');
    const plan: { 'QUERY PLAN': string }[] = await dataSource.query(
      `EXPLAIN SELECT user_id, match_key, match_user FROM voip_extension
        WHERE account_id = $1 AND (match_key = ANY($2::varchar[]) OR match_user = ANY($3::varchar[]))`,
      [ACCOUNT, ['10007'], ['10007']],
    );
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toMatch(/voip_extension_match_key_idx/);
    expect(text).toMatch(/voip_extension_match_user_idx/);
    expect(text).not.toMatch(/Seq Scan/);
    expect(await sut.findUserId(ACCOUNT, '10007')).toBe(8);
  });

  it('lists what the administrator entered and replaces the whole mapping', async () => {
    await sut.replaceForAccount(ACCOUNT, [
      { extension: 'client:Alice', userId: 12, connectionId: 'conn-1' },
      { extension: '101', userId: 11, connectionId: null },
    ]);
    await sut.replaceForAccount(ACCOUNT + 1, [{ extension: '101', userId: 99, connectionId: null }]);

    expect((await sut.listForAccount(ACCOUNT)).map(({ updatedAt: _, ...entry }) => entry)).toEqual([
      { extension: '101', userId: 11, connectionId: null },
      { extension: 'client:Alice', userId: 12, connectionId: 'conn-1' },
    ]);

    await sut.replaceForAccount(ACCOUNT, [{ extension: '102', userId: 11, connectionId: null }]);
    expect((await sut.listForAccount(ACCOUNT)).map((entry) => entry.extension)).toEqual(['102']);
    expect(await sut.findUserId(ACCOUNT, 'client:alice')).toBeNull();
    expect(await sut.findUserId(ACCOUNT + 1, '101')).toBe(99);

    await sut.replaceForAccount(ACCOUNT, []);
    expect(await sut.listForAccount(ACCOUNT)).toEqual([]);
  });

  it('rejects a mapping with duplicate keys or bad values and keeps the old one', async () => {
    await sut.replaceForAccount(ACCOUNT, [{ extension: '101', userId: 11, connectionId: null }]);

    await expect(
      sut.replaceForAccount(ACCOUNT, [
        { extension: 'client:alice', userId: 12, connectionId: null },
        { extension: 'Client:Alice', userId: 13, connectionId: null },
      ]),
    ).rejects.toBeInstanceOf(InvalidExtensionMappingError);
    await expect(sut.replaceForAccount(ACCOUNT, [{ extension: ' ', userId: 12, connectionId: null }])).rejects.toBeInstanceOf(
      InvalidExtensionMappingError,
    );
    await expect(sut.replaceForAccount(ACCOUNT, [{ extension: '103', userId: 0, connectionId: null }])).rejects.toBeInstanceOf(
      InvalidExtensionMappingError,
    );

    expect(await sut.findUserId(ACCOUNT, '101')).toBe(11);
  });

  it('concurrent replacements serialise: the result is exactly one of them', async () => {
    const a = [
      { extension: '101', userId: 1, connectionId: null },
      { extension: '102', userId: 1, connectionId: null },
    ];
    const b = [
      { extension: '102', userId: 2, connectionId: null },
      { extension: '103', userId: 2, connectionId: null },
    ];
    await Promise.all([sut.replaceForAccount(ACCOUNT, a), sut.replaceForAccount(ACCOUNT, b), sut.replaceForAccount(ACCOUNT, a)]);

    const users = new Set((await sut.listForAccount(ACCOUNT)).map((entry) => entry.userId));
    expect(users.size).toBe(1);
    expect((await sut.listForAccount(ACCOUNT)).length).toBe(2);
  });
});
