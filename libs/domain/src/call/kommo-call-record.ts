import { AccountSettings } from '../account-settings/account-settings';
import { Call } from './call';
import { KommoCallFields } from './kommo-call';
import { KommoCallRecord } from './port/kommo-call-log.port';
import { ExtensionDirectory } from './port/extension-directory.port';
import { RecordingLinks } from './port/recording-links.port';

/** What the note may show under the account's settings (no recording link when recordings are off). */
export function effectiveKommoFields(fields: KommoCallFields, settings: AccountSettings): KommoCallFields {
  return { ...fields, hasRecording: fields.hasRecording && settings.recordingEnabled };
}

/** The manager credited with the call: the one mapped to the agent's extension, else the account default. */
export async function responsibleUserOf(call: Call, settings: AccountSettings, extensions: ExtensionDirectory): Promise<number | null> {
  const extension = call.agentExtension;
  const mapped = extension ? await extensions.findUserId(call.accountId, extension, call.id) : null;
  return mapped ?? settings.defaultResponsibleUserId;
}

/** The Kommo record of a call that is ready to log and has a customer number. */
export function kommoCallRecordOf(
  call: Call,
  settings: AccountSettings,
  responsibleUserId: number | null,
  links: RecordingLinks,
): KommoCallRecord {
  const fields = call.kommoFields;
  const direction = call.direction;
  const phone = call.customerNumber;
  if (!fields || !direction || !phone) throw new Error(`call ${call.id} is not loggable`);
  const effective = effectiveKommoFields(fields, settings);
  return {
    uniq: call.id,
    direction,
    phone,
    source: call.provider,
    fields: effective,
    recordingLink: effective.hasRecording ? links.linkFor(call.accountId, call.id) : null,
    responsibleUserId,
    startedAt: call.startedAt ?? call.endedAt ?? new Date(0),
  };
}
