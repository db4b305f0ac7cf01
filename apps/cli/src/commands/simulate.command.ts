import { Inject } from '@nestjs/common';
import { APP_CONFIG, VOIP_CONNECTION_REPOSITORY } from '@app/application';
import type { AppConfig } from '@app/application';
import { VoipProvider } from '@app/domain';
import type { VoipConnectionRepository } from '@app/domain';
import { voipWebhookUrls } from '@app/voip';
import { Command, CommandRunner, Option } from 'nest-commander';
import { scenarioCalls, SCENARIOS } from '../simulate/twilio-scenarios';
import type { ScenarioName } from '../simulate/twilio-scenarios';
import { playTwilioCalls } from '../simulate/twilio-webhook-player';
import { createProgress } from './progress';

interface SimulateOptions {
  readonly account?: number;
  readonly scenario?: ScenarioName;
  readonly count?: number;
  readonly from?: string;
  readonly to?: string;
  readonly apiUrl?: string;
  readonly concurrency?: number;
  readonly json?: boolean;
}

@Command({
  name: 'simulate',
  description:
    "Play a call scenario against the api: correctly signed Twilio status callbacks for the account's Twilio connection (known caller, unknown caller, missed call, burst of N)",
})
export class SimulateCommand extends CommandRunner {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(VOIP_CONNECTION_REPOSITORY) private readonly connections: VoipConnectionRepository,
  ) {
    super();
  }

  async run(_params: string[], options: SimulateOptions): Promise<void> {
    if (options.account === undefined) throw new Error('--account <id> is required (the Kommo account id; see accounts:list)');
    if (!options.scenario) throw new Error(`--scenario is required (${SCENARIOS.join(', ')})`);
    if (!this.config.publicBaseUrl) throw new Error('PUBLIC_BASE_URL is not set: it is the URL Twilio signs and calls');
    const connection = await this.connections.findForAccount(options.account);
    if (!connection) throw new Error(`account ${options.account} has no telephony connection (connect Twilio in the widget settings first)`);
    if (connection.provider !== VoipProvider.Twilio) throw new Error(`account ${options.account} uses ${connection.provider}; simulate plays Twilio webhooks only`);
    const { accountSid, authToken } = connection.credentials;
    if (!accountSid || !authToken) throw new Error(`account ${options.account}'s Twilio connection has no accountSid/authToken`);

    const publicUrl = voipWebhookUrls(VoipProvider.Twilio, this.config.publicBaseUrl, connection.pathKey).statusCallbackUrl;
    const sendTo = options.apiUrl ? publicUrl.replace(this.config.publicBaseUrl, options.apiUrl.replace(/\/+$/, '')) : publicUrl;
    const calls = scenarioCalls({
      scenario: options.scenario,
      accountSid,
      from: options.from,
      to: options.to ?? '+14155550199',
      count: options.scenario === 'burst' ? (options.count ?? 100) : 1,
      startedAt: new Date(),
    });
    const progress = createProgress(`simulate ${options.scenario}`, calls.length, { quiet: options.json || calls.length < 10 });
    const result = await playTwilioCalls(calls, { publicUrl, sendTo, authToken }, { concurrency: options.concurrency ?? 20 }, (done) => progress.update(done));
    progress.done();
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ scenario: options.scenario, callSids: calls.length <= 20 ? calls.map((call) => call.callSid) : undefined, ...result }, null, 2)}\n`);
    } else {
      const refused = Object.entries(result.refused).map(([status, count]) => `${count}×${status}`).join(', ');
      process.stdout.write(
        `${options.scenario}: ${result.calls} calls, ${result.accepted}/${result.deliveries} webhooks accepted${refused ? ` (refused: ${refused})` : ''} ` +
          `in ${result.durationMs} ms; ack p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms\n`,
      );
      if (calls.length <= 5) for (const call of calls) process.stdout.write(`  CallSid ${call.callSid} from ${call.callbacks[0].From}\n`);
    }
    if (result.accepted < result.deliveries) process.exitCode = 1;
  }

  @Option({ flags: '--account <id>', description: 'Kommo account id with a Twilio connection (required)' })
  parseAccount(value: string): number {
    if (!/^\d{1,15}$/.test(value)) throw new Error(`--account must be a Kommo account id (digits), got "${value}"`);
    return Number(value);
  }

  @Option({ flags: '--scenario <name>', description: `${SCENARIOS.join(' | ')} (required)` })
  parseScenario(value: string): ScenarioName {
    if (!(SCENARIOS as readonly string[]).includes(value)) throw new Error(`Unknown scenario "${value}". Scenarios: ${SCENARIOS.join(', ')}`);
    return value as ScenarioName;
  }

  @Option({ flags: '--count <n>', description: 'Calls in a burst (default 100, at most 10000)' })
  parseCount(value: string): number {
    if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 10_000) throw new Error(`--count must be 1..10000, got "${value}"`);
    return Number(value);
  }

  @Option({ flags: '--from <number>', description: 'Caller number (default: the sandbox demo contact +14155550100; unknown: a random number)' })
  parseFrom(value: string): string {
    if (!/^\+?[0-9 ()-]{6,20}$/.test(value)) throw new Error(`--from must be a phone number such as +14155550100, got "${value}"`);
    return value;
  }

  @Option({ flags: '--to <number>', description: 'The number called (ours; default +14155550199)' })
  parseTo(value: string): string {
    if (!/^\+?[0-9 ()-]{6,20}$/.test(value)) throw new Error(`--to must be a phone number, got "${value}"`);
    return value;
  }

  @Option({ flags: '--api-url <url>', description: 'Send to this address instead of PUBLIC_BASE_URL (signatures still use the public URL)' })
  parseApiUrl(value: string): string {
    if (!/^https?:\/\/[^\s]+$/.test(value)) throw new Error(`--api-url must be an http(s) URL, got "${value}"`);
    return value;
  }

  @Option({ flags: '--concurrency <n>', description: 'Calls in flight at once (default 20)' })
  parseConcurrency(value: string): number {
    if (!/^\d{1,3}$/.test(value) || Number(value) < 1) throw new Error(`--concurrency must be 1..999, got "${value}"`);
    return Number(value);
  }

  @Option({ flags: '--json', description: 'Print JSON' })
  parseJson(): boolean {
    return true;
  }
}
