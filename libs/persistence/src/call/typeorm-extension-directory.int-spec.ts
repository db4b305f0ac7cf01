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

  it('matches SIP / client identities case-insensitively and digit extensions exactly', async () => {
    await sut.replaceForAccount(ACCOUNT, [
      { extension: '101', userId: 11, connectionId: null },
      { extension: ' client:Alice ', userId: 12, connectionId: 'conn-1' },
      { extension: 'Bob@PBX.example.com', userId: 13, connectionId: null },
    ]);

    expect(await sut.findUserId(ACCOUNT, '101')).toBe(11);
    expect(await sut.findUserId(ACCOUNT, '0101')).toBeNull();
    expect(await sut.findUserId(ACCOUNT, '1010')).toBeNull();
    expect(await sut.findUserId(ACCOUNT, 'CLIENT:alice')).toBe(12);
    expect(await sut.findUserId(ACCOUNT, 'client:alice')).toBe(12);
    expect(await sut.findUserId(ACCOUNT, 'bob@pbx.example.com')).toBe(13);
    expect(await sut.findUserId(ACCOUNT, 'alice')).toBeNull();
    expect(await sut.findUserId(ACCOUNT, '   ')).toBeNull();
    expect(await sut.findUserId(ACCOUNT + 1, '101')).toBeNull();
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
