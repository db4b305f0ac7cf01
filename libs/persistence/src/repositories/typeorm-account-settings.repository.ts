import { AccountSettings, AccountSettingsRepository, UnknownNumberPolicy } from '@app/domain';
import { DataSource, Repository } from 'typeorm';
import { AccountSettingsOrmEntity } from '../entities/account-settings.orm-entity';

export class TypeOrmAccountSettingsRepository implements AccountSettingsRepository {
  private readonly rows: Repository<AccountSettingsOrmEntity>;

  constructor(dataSource: DataSource) {
    this.rows = dataSource.getRepository(AccountSettingsOrmEntity);
  }

  async find(accountId: number): Promise<AccountSettings | null> {
    const row = await this.rows.findOneBy({ accountId });
    if (!row) return null;
    return {
      accountId: row.accountId,
      defaultResponsibleUserId: row.defaultResponsibleUserId,
      unknownNumberPolicy: row.unknownNumberPolicy as UnknownNumberPolicy,
      missedCallTaskDelayMinutes: row.missedCallTaskDelayMinutes,
      recordingEnabled: row.recordingEnabled,
      incomingLeadPipelineId: row.incomingLeadPipelineId,
      smartForwardingEnabled: row.smartForwardingEnabled,
      defaultRingGroup: (row.defaultRingGroup ?? []).map(Number),
      ringSeconds: row.ringSeconds,
      kommoCallNotifications: row.kommoCallNotifications,
      openLeadOnAnswer: row.openLeadOnAnswer,
      callResultModal: row.callResultModal,
      autoRedial: row.autoRedial,
      updatedAt: row.updatedAt,
      updatedByUserId: row.updatedByUserId,
    };
  }

  async save(settings: AccountSettings): Promise<void> {
    await this.rows.upsert({ ...settings, defaultRingGroup: settings.defaultRingGroup.map(String) }, ['accountId']);
  }
}
