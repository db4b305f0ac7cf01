import { defaultAccountSettings } from '../../../account-settings/account-settings';
import { VoipConnectionRepository } from '../../../account-settings/voip-connection';
import { CallDirection } from '../../../call/call-event';
import { E164 } from '../../../call/e164';
import { KommoCallStatus } from '../../../call/kommo-call';
import { responsibleUserOf } from '../../../call/kommo-call-record';
import { deliveredNote, KommoDeliveryStatus } from '../../../call/kommo-delivery';
import { AccountSettingsReader } from '../../../call/port/account-settings-reader.port';
import { CallRepository } from '../../../call/port/call.repository.port';
import { ExtensionDirectory } from '../../../call/port/extension-directory.port';
import { KommoAccountRepository } from '../../../kommo-authentication/kommo-account.repository.port';
import { isKommoCardRef, KommoCardRef, KommoCards, KommoCardType } from '../../kommo-entities.port';
import { findAccountCall } from '../find-call';

export interface CallResultView {
  readonly callId: string;
  readonly providerCallId: string;
  readonly direction: 'inbound' | 'outbound' | null;
  readonly phone: E164 | null;
  readonly startedAt: Date | null;
  readonly durationSeconds: number;
  readonly callStatus: KommoCallStatus | null;
  readonly result: string | null;
  readonly loggedOn: { readonly type: KommoCardType; readonly id: number; readonly name: string; readonly url: string } | null;
  readonly managerUserId: number | null;
  readonly logged: boolean;
}

const CARD_PATH: Readonly<Record<KommoCardType, string>> = { contact: 'contacts', company: 'companies', lead: 'leads' };
const CARD_LABEL: Readonly<Record<KommoCardType, string>> = { contact: 'Contact', company: 'Company', lead: 'Lead' };

/** A card's page in Kommo's UI (the modal links the call's card). */
export function kommoCardUrl(host: string, ref: KommoCardRef): string {
  return `https://${host}/${CARD_PATH[ref.type]}/detail/${ref.id}`;
}

/** What the call-result modal shows when a call ends: the call, where it is logged, its manager. */
export class ViewCallResultUseCase {
  constructor(
    private readonly calls: CallRepository,
    private readonly connections: VoipConnectionRepository,
    private readonly cards: KommoCards,
    private readonly extensions: ExtensionDirectory,
    private readonly settings: AccountSettingsReader,
    private readonly accounts: KommoAccountRepository,
  ) {}

  async execute(command: { readonly accountId: number; readonly callId: string }): Promise<CallResultView> {
    const call = await findAccountCall(this.calls, this.connections, command.accountId, command.callId);
    const settings = (await this.settings.find(command.accountId)) ?? defaultAccountSettings(command.accountId);
    const delivery = call.delivery;
    const entity =
      deliveredNote(delivery)?.entity ??
      (delivery.status === KommoDeliveryStatus.UnknownNumberLead ? ({ type: 'lead', id: delivery.lead.leadId } as const) : null);
    let loggedOn: CallResultView['loggedOn'] = null;
    if (entity && isKommoCardRef(entity)) {
      const account = await this.accounts.findById(command.accountId);
      // The name is a nicety: Kommo being slow or down must not hide the modal.
      const card = await this.cards.find(command.accountId, entity).catch(() => null);
      loggedOn = {
        type: entity.type,
        id: entity.id,
        name: card?.name || `${CARD_LABEL[entity.type]} #${entity.id}`,
        url: kommoCardUrl(account?.host ?? '', entity),
      };
    }
    return {
      callId: call.id,
      providerCallId: call.rootProviderCallId,
      direction: call.direction === null ? null : call.direction === CallDirection.Inbound ? 'inbound' : 'outbound',
      phone: call.customerNumber,
      startedAt: call.startedAt,
      durationSeconds: call.durationSeconds,
      callStatus: call.kommoCallStatus ?? call.modalResult?.callStatus ?? null,
      result: call.modalResult?.resultText ?? null,
      loggedOn,
      managerUserId: await responsibleUserOf(call, settings, this.extensions),
      logged: call.isDelivered && delivery.status !== KommoDeliveryStatus.Skipped,
    };
  }
}
