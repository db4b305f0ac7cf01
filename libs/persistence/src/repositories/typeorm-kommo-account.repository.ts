import { KommoAccount, KommoAccountRepository, KommoAccountStatus } from '@app/domain';
import { DataSource, Repository } from 'typeorm';
import { SecretCipher } from '../crypto/secret-cipher';
import { KommoAccountOrmEntity } from '../entities/kommo-account.orm-entity';

/** Tokens are encrypted here, on the way in, and decrypted on the way out: nowhere else. */
export class TypeOrmKommoAccountRepository implements KommoAccountRepository {
  private readonly rows: Repository<KommoAccountOrmEntity>;

  constructor(
    dataSource: DataSource,
    private readonly cipher: SecretCipher,
  ) {
    this.rows = dataSource.getRepository(KommoAccountOrmEntity);
  }

  async findById(id: number): Promise<KommoAccount | null> {
    const row = await this.rows.findOneBy({ id });
    return row ? this.toDomain(row) : null;
  }

  async findAll(): Promise<KommoAccount[]> {
    const rows = await this.rows.find({ order: { id: 'ASC' } });
    return rows.map((row) => this.toDomain(row));
  }

  /** The account's stored Kommo country (no token decryption); null when unknown or no such account. */
  async countryOf(id: number): Promise<string | null> {
    const row = await this.rows.findOne({ where: { id }, select: { id: true, country: true } });
    return row?.country ?? null;
  }

  async save(account: KommoAccount): Promise<void> {
    await this.rows.upsert(this.toRow(account), ['id']);
  }

  async saveIfTokenVersion(account: KommoAccount, expectedTokenVersion: number): Promise<boolean> {
    const { id, ...changes } = this.toRow(account);
    const result = await this.rows.update({ id, tokenVersion: expectedTokenVersion }, changes);
    return (result.affected ?? 0) === 1;
  }

  private toRow(account: KommoAccount): Omit<KommoAccountOrmEntity, 'createdAt' | 'updatedAt'> {
    const props = account.snapshot();
    return {
      id: props.id,
      subdomain: props.subdomain,
      host: props.host,
      name: props.name,
      country: props.country,
      status: props.status,
      accessTokenEnc: props.tokens ? this.cipher.encrypt(props.tokens.accessToken, context(props.id, 'access_token')) : null,
      refreshTokenEnc: props.tokens ? this.cipher.encrypt(props.tokens.refreshToken, context(props.id, 'refresh_token')) : null,
      tokenExpiresAt: props.tokens?.expiresAt ?? null,
      tokenVersion: props.tokenVersion,
      statusReason: props.statusReason,
      statusChangedAt: props.statusChangedAt,
      connectedAt: props.connectedAt,
    };
  }

  private toDomain(row: KommoAccountOrmEntity): KommoAccount {
    const hasTokens = row.accessTokenEnc !== null && row.refreshTokenEnc !== null && row.tokenExpiresAt !== null;
    return KommoAccount.restore({
      id: row.id,
      subdomain: row.subdomain,
      host: row.host,
      name: row.name,
      country: row.country,
      status: row.status as KommoAccountStatus,
      tokens: hasTokens
        ? {
            accessToken: this.cipher.decrypt(row.accessTokenEnc!, context(row.id, 'access_token')),
            refreshToken: this.cipher.decrypt(row.refreshTokenEnc!, context(row.id, 'refresh_token')),
            expiresAt: row.tokenExpiresAt!,
          }
        : null,
      tokenVersion: row.tokenVersion,
      statusReason: row.statusReason,
      statusChangedAt: row.statusChangedAt,
      connectedAt: row.connectedAt,
    });
  }
}

function context(accountId: number, column: string): string {
  return `kommo_account:${accountId}:${column}`;
}
