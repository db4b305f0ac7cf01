import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createAppLogger, loadAppConfig } from '@app/application';
import { ConsoleWorkerModule } from './console-worker.module';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig(process.env, ConsoleWorkerModule.CONFIG_SECTIONS);
  const app = await NestFactory.createApplicationContext(ConsoleWorkerModule.register(config), {
    logger: createAppLogger(config.logFormat),
  });
  app.enableShutdownHooks();
  new Logger('Worker').log(
    `worker started: Redis ${new URL(config.redisUrl).host} (prefix ${config.queuePrefix}), PostgreSQL ${new URL(config.databaseUrl).host}`,
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
