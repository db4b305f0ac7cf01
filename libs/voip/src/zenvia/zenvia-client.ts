import type { VoipConnection } from '@app/domain';

export interface ZenviaClientOptions {
  /** ZENVIA_API_BASE_URL: https://voice-api.zenvia.com, or a local fake. */
  readonly apiBaseUrl: string;
  readonly timeoutMs: number;
}

/** A refusal or failure of Zenvia's API; `status` 0 when it did not answer. */
export class ZenviaApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ZenviaApiError';
  }
}

/** Zenvia's JSON envelope: `{status, sucesso, motivo, mensagem, dados}` (voip.md §3). */
interface Envelope<T> {
  readonly status?: number;
  readonly sucesso?: boolean;
  readonly motivo?: number;
  readonly mensagem?: string;
  readonly dados?: T;
}

/**
 * Our own small Zenvia Voice client (the `totalvoice-node` SDK nests options its docs send flat, and is
 * unmaintained): `Access-Token` header, JSON in and out, the envelope unwrapped, `sucesso: false` is an error.
 */
export class ZenviaClient {
  constructor(private readonly options: ZenviaClientOptions) {}

  async request<T>(
    connection: VoipConnection,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    input: { query?: Record<string, string | number | undefined>; body?: unknown } = {},
  ): Promise<T | undefined> {
    const url = new URL(path.replace(/^\//, ''), `${this.options.apiBaseUrl}/`);
    for (const [name, value] of Object.entries(input.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          'access-token': connection.credentials.accessToken ?? '',
          accept: 'application/json',
          ...(input.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: input.body !== undefined ? JSON.stringify(input.body) : undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw new ZenviaApiError(0, `Zenvia did not answer ${method} ${url.pathname}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const envelope = (await response.json().catch(() => ({}))) as Envelope<T>;
    if (!response.ok || envelope.sucesso === false) {
      const reason = envelope.mensagem ? `: ${envelope.mensagem}` : '';
      throw new ZenviaApiError(response.ok ? 400 : response.status, `Zenvia ${method} ${url.pathname} → ${response.status}${envelope.motivo !== undefined ? ` motivo ${envelope.motivo}` : ''}${reason}`);
    }
    return envelope.dados;
  }
}
