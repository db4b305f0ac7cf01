import { RunningSandbox, startKommoSandbox } from '../../../../apps/kommo-sandbox/src/sandbox.bootstrap';
import { DEMO_ACCOUNT } from '../../../../apps/kommo-sandbox/src/seed/demo.seed';
import { KommoTasksClient } from './kommo-tasks.client';
import { KommoSandboxHarness, SANDBOX_INTEGRATION } from './testing/kommo-sandbox.harness';

const D = DEMO_ACCOUNT;

interface SandboxTask {
  id: number;
  text: string;
  completeTill: number;
  taskTypeId: number;
  entityId: number | null;
  entityType: string | null;
  responsibleUserId: number;
  isCompleted: boolean;
  result: { text: string } | null;
}

describe('KommoTasksClient (Kommo sandbox over HTTP)', () => {
  let sandbox: RunningSandbox;
  let kommo: KommoSandboxHarness;
  let sut: KommoTasksClient;

  beforeAll(async () => {
    sandbox = await startKommoSandbox({ port: 0, mode: 'test', seed: 'demo', logger: false, integration: SANDBOX_INTEGRATION });
    kommo = new KommoSandboxHarness(sandbox.url);
    sut = new KommoTasksClient(kommo.http, kommo.tokens);
  });
  afterAll(() => sandbox.close());
  beforeEach(() => kommo.reset([D]));

  const tasks = async () => (await kommo.control<{ tasks: SandboxTask[] }>('GET', `/accounts/${D.id}/tasks`)).tasks;
  const patches = async () =>
    Object.entries((await kommo.control<{ counts: Record<string, number> }>('GET', `/accounts/${D.id}/requests`)).counts)
      .filter(([endpoint]) => endpoint.startsWith('PATCH /api/v4/tasks'))
      .reduce((sum, [, count]) => sum + count, 0);

  it('creates a follow-up task on the entity for the manager, due at completeTill', async () => {
    const completeTill = new Date('2026-01-15T10:15:00Z');

    const { taskId } = await sut.create(D.id, { text: 'Call back +14155550100 (missed call)', responsibleUserId: D.users.manager, completeTill, entity: { type: 'lead', id: D.leads.oneActive } });

    expect(await tasks()).toEqual([
      expect.objectContaining({
        id: taskId,
        text: 'Call back +14155550100 (missed call)',
        completeTill: Math.floor(completeTill.getTime() / 1000),
        taskTypeId: 1,
        entityId: D.leads.oneActive,
        entityType: 'leads',
        responsibleUserId: D.users.manager,
        isCompleted: false,
      }),
    ]);
    expect(await sut.isOpen(D.id, taskId)).toBe(true);
  });

  it('creates a free task (no entity) with another task type', async () => {
    const { taskId } = await sut.create(D.id, { text: 'Call back', responsibleUserId: null, completeTill: new Date(), entity: null, taskTypeId: 2 });

    expect(await tasks()).toEqual([expect.objectContaining({ id: taskId, entityId: null, entityType: null, taskTypeId: 2, responsibleUserId: D.users.admin })]);
  });

  it('completes with a result; completing again changes nothing (idempotent, the first result is kept)', async () => {
    const { taskId } = await sut.create(D.id, { text: 'Call back', responsibleUserId: D.users.manager, completeTill: new Date(), entity: { type: 'contact', id: D.contacts.noLead } });

    await sut.complete(D.id, taskId, 'Answered call at 10:20');
    await sut.complete(D.id, taskId, 'Answered call at 11:00');

    expect(await sut.isOpen(D.id, taskId)).toBe(false);
    expect((await tasks())[0]).toMatchObject({ isCompleted: true, result: { text: 'Answered call at 10:20' } });
    expect(await patches()).toBe(1);
  });

  it('an unknown task is not open, and completing it is a no-op', async () => {
    expect(await sut.isOpen(D.id, 999999)).toBe(false);
    await expect(sut.complete(D.id, 999999, 'x')).resolves.toBeUndefined();
    expect(await patches()).toBe(0);
  });
});
