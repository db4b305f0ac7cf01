import { Call } from './call';
import { CallVersionConflictError } from './call.errors';
import { CallRepository } from './port/call.repository.port';

/**
 * Applies `change` and saves, reloading and re-applying on an optimistic-concurrency conflict.
 * `change` must be safe to re-run on a fresher copy (ledger transitions and merges are).
 * Starts with `current` when given (saves a read); returns the saved call, or null if it is gone.
 */
export async function mutateCall(
  calls: CallRepository,
  accountId: number,
  callId: string,
  change: (call: Call) => void,
  options: { attempts?: number; current?: Call } = {},
): Promise<Call | null> {
  const attempts = options.attempts ?? 5;
  let call: Call | null = options.current ?? null;
  for (let attempt = 1; ; attempt += 1) {
    call ??= await calls.findById(accountId, callId);
    if (!call) return null;
    change(call);
    try {
      await calls.save(call);
      return call;
    } catch (error) {
      if (!(error instanceof CallVersionConflictError) || attempt >= attempts) throw error;
      call = null;
    }
  }
}
