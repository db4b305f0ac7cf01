export * from './entities/call.orm-entity';
export * from './entities/call-leg.orm-entity';
export * from './entities/voip-extension.orm-entity';
export * from './entities/callback-task.orm-entity';
export * from './typeorm-call.repository';
export * from './typeorm-extension-directory';
export * from './callback-task-records';
export * from './typeorm-callback-task-records';
