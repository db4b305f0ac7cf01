import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { createAppLogger, loadAppConfig } from '@app/application';
import { ApiModule } from './api.module';
import { configureApp } from './app.setup';

async function bootstrap(): Promise<void> {
  const config = loadAppConfig(process.env, ApiModule.CONFIG_SECTIONS);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(config), {
    bodyParser: false,
    logger: createAppLogger(config.logFormat),
  });
  configureApp(app);
  await app.listen(config.port, '0.0.0.0');
  const logger = new Logger('Api');
  logger.log(`api listening on :${config.port}, public base URL ${config.publicBaseUrl}`);
  logger.log(`Kommo API: ${config.kommo.apiBaseUrlOverride ?? 'https://{account host}'}; Redis ${new URL(config.redisUrl).host}`);
}

bootstrap().catch((error: unknown) => {
  // Config errors name every missing or bad variable: print them plainly and exit non-zero.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
