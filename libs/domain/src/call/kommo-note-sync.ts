import { AccountSettings } from '../account-settings/account-settings';
import { Clock } from '../shared/clock.port';
import { Call } from './call';
import { CallVersionConflictError } from './call.errors';
import { mutateCall } from './call-mutation';
import { effectiveKommoFields, kommoCallRecordOf, responsibleUserOf } from './kommo-call-record';
import { sameKommoCallFields } from './kommo-call';
import { deliveredNote, KommoDeliveryStatus } from './kommo-delivery';
import { CallRepository } from './port/call.repository.port';
import { ExtensionDirectory } from './port/extension-directory.port';
import { KommoCallLog } from './port/kommo-call-log.port';
import { RecordingLinks } from './port/recording-links.port';

export type NoteSyncOutcome =
  /** The existing note was PATCHed (never a second note). */
  | 'note_updated'
  /** Nothing visible changed (e.g. a recording while recordings are off). */
  | 'up_to_date'
  /** The call is not in Kommo yet (AddCall will send the current content) or was skipped. */
  | 'not_logged'
  /** An incoming lead's call note could not be found: given up, recorded as synced. */
  | 'note_unknown';

export interface NoteSyncDeps {
  readonly calls: CallRepository;
  readonly kommo: KommoCallLog;
  readonly extensions: ExtensionDirectory;
  readonly links: RecordingLinks;
  readonly clock: Clock;
}

/** Brings a delivered call's Kommo note up to date with what the call now knows. Shared by AttachRecording and UpdateFromModal. */
export async function syncKommoNote(deps: NoteSyncDeps, call: Call, settings: AccountSettings): Promise<NoteSyncOutcome> {
  const fields = call.kommoFields;
  const phone = call.customerNumber;
  const direction = call.direction;
  if (!call.isDelivered || call.delivery.status === KommoDeliveryStatus.Skipped || !fields || !phone || !direction) {
    return 'not_logged';
  }
  const logged = call.loggedAs;
  if (logged && sameKommoCallFields(effectiveKommoFields(logged, settings), effectiveKommoFields(fields, settings))) {
    await save(deps, call, (fresh) => fresh.markKommoSynced(fields));
    return 'up_to_date';
  }
  let current = call;
  let note = deliveredNote(current.delivery);
  if (!note && current.delivery.status === KommoDeliveryStatus.UnknownNumberLead) {
    const lead = current.delivery.lead;
    note = await deps.kommo.findCallNoteByUniq(current.accountId, {
      uniq: current.id,
      phone,
      direction,
      entity: { type: 'lead', id: lead.leadId },
    });
    const found = note;
    if (found) current = await save(deps, current, (fresh) => fresh.deliveryLeadNoteFound(found));
  }
  if (!note) {
    await save(deps, current, (fresh) => fresh.markKommoSynced(fields));
    return 'note_unknown';
  }
  const responsible = await responsibleUserOf(current, settings, deps.extensions);
  await deps.kommo.updateCallNote(current.accountId, note, kommoCallRecordOf(current, settings, responsible, deps.links));
  await save(deps, current, (fresh) => fresh.markKommoSynced(fields));
  return 'note_updated';
}

async function save(deps: NoteSyncDeps, call: Call, change: (fresh: Call) => void): Promise<Call> {
  const saved = await mutateCall(deps.calls, call.accountId, call.id, change, { current: call });
  if (!saved) throw new CallVersionConflictError(call.id);
  return saved;
}
