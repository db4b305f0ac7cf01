import { BadRequestException, Body, Controller, ForbiddenException, Get, Inject, Put, UseGuards } from '@nestjs/common';
import { EXTENSION_DIRECTORY, KOMMO_USER_REPOSITORY, VOIP_CONNECTION_REPOSITORY } from '@app/application';
import type { KommoUserRepository, SettingsActor, VoipConnectionRepository } from '@app/domain';
import type { TypeOrmExtensionDirectory } from '@app/persistence';
import { ReplaceExtensionsDto } from './dto/replace-extensions.dto';
import { WidgetActor, WidgetAuthGuard } from './widget-auth.guard';

/**
 * "Assign extensions to managers": which VoIP identity (extension, client identity, SIP user) is which
 * Kommo user, so calls are credited to the manager (responsible_user_id / call_responsible).
 * Reads: any user of the account; writes: admins.
 */
@Controller('widget/extensions')
@UseGuards(WidgetAuthGuard)
export class WidgetExtensionsController {
  constructor(
    @Inject(EXTENSION_DIRECTORY) private readonly extensions: TypeOrmExtensionDirectory,
    @Inject(KOMMO_USER_REPOSITORY) private readonly users: KommoUserRepository,
    @Inject(VOIP_CONNECTION_REPOSITORY) private readonly connections: VoipConnectionRepository,
  ) {}

  @Get()
  async list(@WidgetActor() actor: SettingsActor) {
    const [extensions, users] = await Promise.all([this.extensions.listForAccount(actor.accountId), this.users.findForAccount(actor.accountId)]);
    return {
      extensions: extensions.map(({ extension, userId, updatedAt }) => ({ extension, userId, updatedAt })),
      users: users.map(({ id, name, isActive, isAdmin }) => ({ id, name, isActive, isAdmin })),
      canEdit: actor.isAdmin,
    };
  }

  /** Replaces the whole map (the admin page saves it as one table). */
  @Put()
  async replace(@WidgetActor() actor: SettingsActor, @Body() dto: ReplaceExtensionsDto) {
    if (!actor.isAdmin) throw new ForbiddenException('Only account administrators can assign extensions');
    const users = new Map((await this.users.findForAccount(actor.accountId)).map((user) => [user.id, user]));
    const problems = dto.extensions.flatMap((entry, index) => {
      const user = users.get(entry.userId);
      if (!user) return [`extensions[${index}]: user ${entry.userId} is not a user of this account`];
      if (!user.isActive) return [`extensions[${index}]: user ${entry.userId} (${user.name}) is inactive`];
      return [];
    });
    if (problems.length > 0) throw new BadRequestException(problems);
    const connection = await this.connections.findForAccount(actor.accountId);
    await this.extensions.replaceForAccount(
      actor.accountId,
      dto.extensions.map((entry) => ({ extension: entry.extension, userId: entry.userId, connectionId: connection?.id ?? null })),
    );
    return this.list(actor);
  }
}
