import { VoipConnectionRepository, VoipProvider } from '../../account-settings/voip-connection';
import { Call } from '../../call/call';
import { CallRepository } from '../../call/port/call.repository.port';
import { CallActionError } from '../click-to-call.errors';

/**
 * A call of the account by our id, or by a provider's id of any of its legs (what the softphone knows,
 * e.g. Twilio's CA…). Calls of other accounts do not exist here: `not_found`.
 */
export async function findAccountCall(
  calls: CallRepository,
  connections: VoipConnectionRepository,
  accountId: number,
  reference: string,
): Promise<Call> {
  const id = reference.trim();
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(id)) throw new CallActionError('invalid_request', 'A call id has letters, digits, ".", "_" or "-" only');
  const byId = await calls.findById(accountId, id);
  if (byId) return byId;
  const connection = await connections.findForAccount(accountId);
  const providers = [...new Set([connection?.provider, VoipProvider.Twilio].filter((provider): provider is VoipProvider => Boolean(provider)))];
  for (const provider of providers) {
    const byProviderId = await calls.findByProviderCallId(accountId, provider, id);
    if (byProviderId) return byProviderId;
  }
  throw new CallActionError('not_found', `No call ${id} in this account (yet: a call just ended may take a few seconds to arrive)`);
}
