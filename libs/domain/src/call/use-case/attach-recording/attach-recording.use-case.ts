import { defaultAccountSettings } from '../../../account-settings/account-settings';
import { NoteSyncDeps, NoteSyncOutcome, syncKommoNote } from '../../kommo-note-sync';
import { AccountSettingsReader } from '../../port/account-settings-reader.port';

export type AttachRecordingOutcome = NoteSyncOutcome | 'not_found';

/**
 * A recording (or any later information) reached a call that is already in Kommo: the same call note is
 * updated (PATCH), never a second one. Runs from the `voip.attach-recording` job SaveCallEvent enqueues.
 * Idempotent: a PATCH is safe to repeat, and a call whose note is current is left alone.
 */
export class AttachRecordingUseCase {
  constructor(
    private readonly deps: NoteSyncDeps,
    private readonly settings: AccountSettingsReader,
  ) {}

  async execute(command: { accountId: number; callId: string }): Promise<{ outcome: AttachRecordingOutcome }> {
    const call = await this.deps.calls.findById(command.accountId, command.callId);
    if (!call) return { outcome: 'not_found' };
    if (!call.needsKommoUpdate) return { outcome: call.isDelivered ? 'up_to_date' : 'not_logged' };
    const settings = (await this.settings.find(command.accountId)) ?? defaultAccountSettings(command.accountId);
    return { outcome: await syncKommoNote(this.deps, call, settings) };
  }
}
