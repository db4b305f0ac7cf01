import { aCallEvent } from '../../test/fakes/call';
import {
  addCallTask,
  attachRecordingTask,
  CallTaskName,
  completeCallbackTaskTask,
  createCallbackTaskTask,
  fromCallEventPayload,
  saveCallEventTask,
  updateFromModalTask,
} from './index';

describe('call tasks', () => {
  it('keeps the persisted names of the spec tree', () => {
    expect(Object.values(CallTaskName)).toEqual([
      'voip.save-call-event',
      'voip.add-call',
      'voip.attach-recording',
      'voip.create-callback-task',
      'voip.complete-callback-task',
      'voip.update-from-modal',
    ]);
  });

  it('dedupes a redelivered webhook by its idempotency key and carries the event as JSON', () => {
    const event = aCallEvent();
    const task = saveCallEventTask(event);
    expect(task).toMatchObject({ name: CallTaskName.SaveCallEvent, accountId: 42, dedupeKey: `42-${event.idempotencyKey}` });
    expect(fromCallEventPayload(JSON.parse(JSON.stringify(task.payload.event)))).toEqual(event);
  });

  it('logs a call once (dedupe = call id) and updates its note once per revision', () => {
    expect(addCallTask(42, 'c1')).toEqual({ name: CallTaskName.AddCall, payload: { accountId: 42, callId: 'c1' }, dedupeKey: 'c1', accountId: 42 });
    expect(attachRecordingTask(42, 'c1', 1).dedupeKey).toBe('c1-r1');
    expect(attachRecordingTask(42, 'c1', 2).dedupeKey).not.toBe(attachRecordingTask(42, 'c1', 1).dedupeKey);
    expect(createCallbackTaskTask(42, 'c1').dedupeKey).toBe('c1');
    expect(completeCallbackTaskTask(42, 'c1').dedupeKey).toBe('c1');
  });

  it('dedupes a modal submission by its id', () => {
    const payload = { accountId: 42, callId: 'c1', submissionId: 'sub-9', submittedAt: '2026-01-15T10:00:00.000Z', userId: 1, resultText: null, callStatus: null };
    expect(updateFromModalTask(payload)).toEqual({ name: CallTaskName.UpdateFromModal, payload, dedupeKey: '42-sub-9', accountId: 42 });
  });
});
