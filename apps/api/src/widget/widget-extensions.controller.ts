import { BadRequestException, Body, Controller, ForbiddenException, Get, Inject, Put, UseGuards } from '@nestjs/common';
import { AccountPhoneCountries, EXTENSION_DIRECTORY, KOMMO_USER_REPOSITORY, VOIP_CONNECTION_REPOSITORY } from '@app/application';
import { findExtensionDrift } from '@app/domain';
import type { KommoUserRepository, SettingsActor, VoipConnectionRepository } from '@app/domain';
import { TypeOrmSeenIdentities } from '@app/persistence';
import type { TypeOrmExtensionDirectory } from '@app/persistence';
import { normalizeVoipIdentity, voipIdentityAliases } from '@app/voip';
import { ReplaceExtensionsDto } from './dto/replace-extensions.dto';
import { WidgetActor, WidgetAuthGuard } from './widget-auth.guard';

interface ProposedEntry {
  /** How the entry is named in error messages: `extensions[2]` or `users.1002`. */
  readonly label: string;
  readonly raw: string;
  readonly userId: number;
}

/**
 * "Assign extensions to managers": which VoIP identity (phone number, SIP URI, Twilio client identity, PBX
 * extension) is which Kommo user, so calls are credited to the manager and smart forwarding can ring them.
 * Identities are validated and normalised here, once. Reads (with the drift check): any user; writes: admins.
 */
@Controller('widget/extensions')
@UseGuards(WidgetAuthGuard)
export class WidgetExtensionsController {
  constructor(
    @Inject(EXTENSION_DIRECTORY) private readonly extensions: TypeOrmExtensionDirectory,
    @Inject(KOMMO_USER_REPOSITORY) private readonly users: KommoUserRepository,
    @Inject(VOIP_CONNECTION_REPOSITORY) private readonly connections: VoipConnectionRepository,
    private readonly seenIdentities: TypeOrmSeenIdentities,
    private readonly phoneCountries: AccountPhoneCountries,
  ) {}

  @Get()
  async list(@WidgetActor() actor: SettingsActor) {
    const [extensions, users, seen, country] = await Promise.all([
      this.extensions.listForAccount(actor.accountId),
      this.users.findForAccount(actor.accountId),
      this.seenIdentities.listForAccount(actor.accountId),
      this.phoneCountries.countryOf(actor.accountId),
    ]);
    const drift = findExtensionDrift({
      entries: extensions.map(({ extension, userId }) => {
        const normalized = normalizeVoipIdentity(extension, country);
        return { extension, userId, canonical: normalized.ok ? normalized.identity.value : extension.trim(), aliases: voipIdentityAliases(extension, country) };
      }),
      users,
      seen,
    });
    return {
      extensions: extensions.map(({ extension, userId, updatedAt }) => ({ extension, userId, updatedAt })),
      users: users.map(({ id, name, isActive, isAdmin }) => ({ id, name, isActive, isAdmin })),
      drift,
      canEdit: actor.isAdmin,
    };
  }

  /** Replaces the whole map (the admin page saves it as one table; Kommo's `users` field saves all users at once). */
  @Put()
  async replace(@WidgetActor() actor: SettingsActor, @Body() dto: ReplaceExtensionsDto) {
    if (!actor.isAdmin) throw new ForbiddenException('Only account administrators can assign extensions');
    const proposed = proposedEntries(dto);
    const users = new Map((await this.users.findForAccount(actor.accountId)).map((user) => [user.id, user]));
    const country = await this.phoneCountries.countryOf(actor.accountId);
    const problems: string[] = [];
    const entries: { extension: string; userId: number }[] = [];
    const owners = new Map<string, ProposedEntry>();
    for (const entry of proposed) {
      const user = users.get(entry.userId);
      if (!user) problems.push(`${entry.label}: user ${entry.userId} is not a user of this account`);
      else if (!user.isActive) problems.push(`${entry.label}: user ${entry.userId} (${user.name}) is inactive`);
      const normalized = normalizeVoipIdentity(entry.raw, country);
      if (!normalized.ok) {
        problems.push(`${entry.label}: "${entry.raw.trim()}" ${normalized.problem}`);
        continue;
      }
      const key = normalized.identity.value.toLowerCase();
      const first = owners.get(key);
      if (first) problems.push(`${entry.label}: "${entry.raw.trim()}" is the same identity as ${first.label} ("${first.raw.trim()}")`);
      else owners.set(key, entry);
      entries.push({ extension: normalized.identity.value, userId: entry.userId });
    }
    if (problems.length > 0) throw new BadRequestException(problems);
    const connection = await this.connections.findForAccount(actor.accountId);
    await this.extensions.replaceForAccount(
      actor.accountId,
      entries.map((entry) => ({ ...entry, connectionId: connection?.id ?? null })),
    );
    return this.list(actor);
  }
}

/** The body as a list of entries, whichever of the two shapes it came in. */
function proposedEntries(dto: ReplaceExtensionsDto): ProposedEntry[] {
  if ((dto.extensions === undefined) === (dto.users === undefined)) {
    throw new BadRequestException('Send either extensions: [{extension, userId}] or users: {"<userId>": "<identity>"}');
  }
  if (dto.extensions) return dto.extensions.map((entry, index) => ({ label: `extensions[${index}]`, raw: entry.extension, userId: entry.userId }));
  const users = Object.entries(dto.users ?? {});
  if (users.length > 2000) throw new BadRequestException('users: at most 2000 entries');
  const problems: string[] = [];
  const entries: ProposedEntry[] = [];
  for (const [key, value] of users) {
    const label = `users.${key}`;
    if (!/^[1-9]\d{0,15}$/.test(key) || !Number.isSafeInteger(Number(key))) problems.push(`${label}: the key must be a Kommo user id`);
    else if (value === null || (typeof value === 'string' && value.trim() === '')) continue; // Kommo's empty input: not mapped
    else if (typeof value !== 'string' || value.length > 128) problems.push(`${label}: the identity must be a string of at most 128 characters`);
    else entries.push({ label, raw: value, userId: Number(key) });
  }
  if (problems.length > 0) throw new BadRequestException(problems);
  return entries;
}
