import { AccountSettingsOrmEntity } from './account-settings.orm-entity';
import { CallWebhookInboxOrmEntity } from './call-webhook-inbox.orm-entity';
import { KommoAccountOrmEntity } from './kommo-account.orm-entity';
import { KommoUserOrmEntity } from './kommo-user.orm-entity';
import { ParkedTaskOrmEntity } from './parked-task.orm-entity';
import { VoipConnectionOrmEntity } from './voip-connection.orm-entity';
import { CallOrmEntity } from '../call/entities/call.orm-entity';
import { CallLegOrmEntity } from '../call/entities/call-leg.orm-entity';
import { VoipExtensionOrmEntity } from '../call/entities/voip-extension.orm-entity';
import { CallbackTaskOrmEntity } from '../call/entities/callback-task.orm-entity';
import { VoipProviderStateOrmEntity } from '../provider-state/voip-provider-state.orm-entity';

/** Listed explicitly (no globs): the apps are bundled by webpack. */
export const ORM_ENTITIES = [
  KommoAccountOrmEntity,
  KommoUserOrmEntity,
  AccountSettingsOrmEntity,
  VoipConnectionOrmEntity,
  ParkedTaskOrmEntity,
  CallWebhookInboxOrmEntity,
  CallOrmEntity,
  CallLegOrmEntity,
  VoipExtensionOrmEntity,
  CallbackTaskOrmEntity,
  VoipProviderStateOrmEntity,
];

export {
  AccountSettingsOrmEntity,
  CallWebhookInboxOrmEntity,
  KommoAccountOrmEntity,
  KommoUserOrmEntity,
  ParkedTaskOrmEntity,
  VoipConnectionOrmEntity,
};
