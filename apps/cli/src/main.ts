import { loadAppConfig } from '@app/application';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli.module';

async function main(): Promise<void> {
  const config = loadAppConfig(process.env, CliModule.CONFIG_SECTIONS);
  const fail = (error: Error) => {
    console.error(error.message);
    process.exit(1);
  };
  await CommandFactory.run(CliModule.register(config), {
    cliName: 'kommo-voip',
    logger: ['warn', 'error'],
    errorHandler: fail,
    serviceErrorHandler: fail,
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
