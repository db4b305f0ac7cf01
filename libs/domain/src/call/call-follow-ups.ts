import { AccountSettings } from '../account-settings/account-settings';
import { Call } from './call';
import {
  addCallTask,
  attachRecordingTask,
  CallTask,
  completeCallbackTaskTask,
  createCallbackTaskTask,
  modalResultPayloadOf,
  updateFromModalTask,
} from './call-task';

/** After an event is saved: log the call once it is ready; update the note when a logged call changed. */
export function tasksAfterEvent(call: Call): CallTask[] {
  if (!call.isDelivered) return call.isReadyToLog ? [addCallTask(call.accountId, call.id)] : [];
  return call.needsKommoUpdate ? [attachRecordingTask(call.accountId, call.id, call.kommoRevision)] : [];
}

/** After the call is delivered to Kommo: callback task for a missed call, closing one for an answered call, note update. */
export function tasksAfterDelivery(call: Call, settings: AccountSettings): CallTask[] {
  const tasks: CallTask[] = [];
  if (!call.isDelivered) return tasks;
  if (call.customerNumber !== null) {
    if (call.isMissed && call.callbackTask === null && settings.missedCallTaskDelayMinutes !== null) {
      tasks.push(createCallbackTaskTask(call.accountId, call.id));
    }
    if (call.isAnswered) tasks.push(completeCallbackTaskTask(call.accountId, call.id));
  }
  if (call.needsKommoUpdate) tasks.push(attachRecordingTask(call.accountId, call.id, call.kommoRevision));
  // A call-result submission saved before the call was logged: its note move / task can run now.
  const modal = call.modalResult;
  if (modal && call.hasPendingModalWork) tasks.push(updateFromModalTask(modalResultPayloadOf(call.accountId, call.id, modal), true));
  return tasks;
}
