import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { SimulatedCall } from './twilio-scenarios';

export interface PlayResult {
  readonly calls: number;
  readonly deliveries: number;
  /** Deliveries answered 2xx. */
  readonly accepted: number;
  /** Non-2xx answers and network errors, by status ("error" for no answer). */
  readonly refused: Record<string, number>;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly durationMs: number;
}

/**
 * Posts the calls' callbacks as Twilio does: form-encoded, `X-Twilio-Signature` computed with the official
 * `twilio` package over the PUBLIC URL (what Twilio would call), while the request may go to another address
 * (`sendTo`, e.g. the api on 127.0.0.1 behind a proxy). Each call's callbacks go in order; calls run in parallel.
 */
export async function playTwilioCalls(
  calls: readonly SimulatedCall[],
  target: { publicUrl: string; sendTo?: string; authToken: string },
  options: { concurrency: number; timeoutMs?: number },
  progress: (done: number, total: number) => void = () => undefined,
): Promise<PlayResult> {
  const started = Date.now();
  const latencies: number[] = [];
  const refused: Record<string, number> = {};
  let accepted = 0;
  let done = 0;
  let next = 0;
  const sendTo = target.sendTo ?? target.publicUrl;
  const lane = async () => {
    for (;;) {
      const index = next++;
      if (index >= calls.length) return;
      for (const params of calls[index].callbacks) {
        const sentAt = performance.now();
        try {
          const response = await fetch(sendTo, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-twilio-signature': getExpectedTwilioSignature(target.authToken, target.publicUrl, params),
            },
            body: new URLSearchParams(params).toString(),
            signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
          });
          await response.arrayBuffer();
          latencies.push(performance.now() - sentAt);
          if (response.ok) accepted += 1;
          else refused[String(response.status)] = (refused[String(response.status)] ?? 0) + 1;
        } catch {
          refused.error = (refused.error ?? 0) + 1;
        }
      }
      progress(++done, calls.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, calls.length)) }, lane));
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => (latencies.length === 0 ? 0 : Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10);
  return {
    calls: calls.length,
    deliveries: calls.reduce((sum, call) => sum + call.callbacks.length, 0),
    accepted,
    refused,
    latencyMs: { p50: pick(0.5), p99: pick(0.99), max: pick(1) },
    durationMs: Date.now() - started,
  };
}
