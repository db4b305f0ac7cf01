import { ClickToCallFailed } from '@app/domain';
import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';

/** Where the Calls resource lives and how long we wait for it (a manager is waiting on the other side). */
export interface TwilioRestOptions {
  /** `TWILIO_API_BASE_URL`: https://api.twilio.com, or a local fake in tests. */
  readonly baseUrl: string;
  readonly timeoutMs: number;
}

export interface CreateTwilioCall {
  readonly accountSid: string;
  /** HTTP Basic user: an API key SID (preferred) or the Account SID. */
  readonly username: string;
  /** The API key secret, or the Auth Token. */
  readonly password: string;
  readonly to: string;
  readonly from: string;
  /** TwiML Twilio fetches when the `To` party answers. */
  readonly url: string;
  readonly statusCallback: string;
  /** Ring time of the first leg (the manager's device), seconds. */
  readonly timeoutSeconds: number;
}

const TWILIO_API_ORIGIN = 'https://api.twilio.com';

/**
 * The official client's HTTP layer with a configurable origin: the `twilio` package has no base-URL option
 * (voip.md §1.9), so requests addressed to api.twilio.com are sent to `baseUrl` instead.
 */
class BaseUrlRequestClient extends RequestClient {
  constructor(
    private readonly baseUrl: string,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = opts.uri.startsWith(TWILIO_API_ORIGIN) ? `${this.baseUrl}${opts.uri.slice(TWILIO_API_ORIGIN.length)}` : opts.uri;
    return super.request({ ...opts, uri });
  }
}

/**
 * `POST /2010-04-01/Accounts/{sid}/Calls.json` (voip.md §1.7) through the official `twilio` client. Failures
 * become `ClickToCallFailed`: Twilio's own refusal (its JSON error `code` and `message`) as `provider_rejected`,
 * no answer / a timeout / a 5xx as `provider_unreachable`.
 */
export class TwilioRestCallsClient {
  private readonly httpClient: BaseUrlRequestClient;

  constructor(private readonly options: TwilioRestOptions) {
    this.httpClient = new BaseUrlRequestClient(options.baseUrl.replace(/\/+$/, ''), options.timeoutMs);
  }

  async create(call: CreateTwilioCall): Promise<{ readonly sid: string }> {
    const client = twilio(call.username, call.password, { accountSid: call.accountSid, httpClient: this.httpClient, autoRetry: false });
    try {
      const created = await client.calls.create({
        to: call.to,
        from: call.from,
        url: call.url,
        method: 'POST',
        statusCallback: call.statusCallback,
        statusCallbackMethod: 'POST',
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
        timeout: call.timeoutSeconds,
      });
      if (!/^CA[0-9a-fA-F]{32}$/.test(created.sid ?? '')) throw new ClickToCallFailed('provider_rejected', 'Twilio created a call without a valid CallSid');
      return { sid: created.sid };
    } catch (error) {
      throw failureOf(error);
    }
  }
}

function failureOf(error: unknown): ClickToCallFailed {
  if (error instanceof ClickToCallFailed) return error;
  const rest = error as { status?: unknown; code?: unknown; message?: unknown; moreInfo?: unknown };
  if (error instanceof Error && typeof rest.status === 'number') {
    const code = typeof rest.code === 'number' || typeof rest.code === 'string' ? String(rest.code) : null;
    const message = typeof rest.message === 'string' && rest.message ? rest.message : `HTTP ${rest.status}`;
    if (rest.status >= 500 || rest.status === 429) {
      return new ClickToCallFailed('provider_unreachable', `Twilio answered ${rest.status}: ${message}`, code);
    }
    return new ClickToCallFailed('provider_rejected', `Twilio refused the call${code ? ` (error ${code})` : ''}: ${message}`, code);
  }
  const detail = error instanceof Error ? error.message : String(error);
  const timedOut = /timeout|ETIMEDOUT|ECONNABORTED/i.test(detail);
  return new ClickToCallFailed('provider_unreachable', timedOut ? 'Twilio did not answer in time' : `Twilio could not be reached (${detail})`, null, timedOut);
}
