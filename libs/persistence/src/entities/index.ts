import { AccountSettingsOrmEntity } from './account-settings.orm-entity';
import { KommoAccountOrmEntity } from './kommo-account.orm-entity';
import { KommoUserOrmEntity } from './kommo-user.orm-entity';
import { ParkedTaskOrmEntity } from './parked-task.orm-entity';
import { VoipConnectionOrmEntity } from './voip-connection.orm-entity';

/** Listed explicitly (no globs): the apps are bundled by webpack. */
export const ORM_ENTITIES = [
  KommoAccountOrmEntity,
  KommoUserOrmEntity,
  AccountSettingsOrmEntity,
  VoipConnectionOrmEntity,
  ParkedTaskOrmEntity,
];

export {
  AccountSettingsOrmEntity,
  KommoAccountOrmEntity,
  KommoUserOrmEntity,
  ParkedTaskOrmEntity,
  VoipConnectionOrmEntity,
};
