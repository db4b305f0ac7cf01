import { Controller, ForbiddenException, Get, Headers, HttpException, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { APP_CONFIG, CALL_REPOSITORY, KOMMO_ACCOUNT_REPOSITORY, RECORDING_LINKS, RINGCENTRAL_ACCESS_TOKENS, VOIP_CONNECTION_REPOSITORY } from '@app/application';
import type { AppConfig } from '@app/application';
import { KommoAccountStatus, VoipProvider } from '@app/domain';
import type { CallRepository, KommoAccountRepository, VoipConnection, VoipConnectionRepository } from '@app/domain';
import { allowedPbxRecordingUrl, allowedRecordingUrl, resolvesToPublicAddresses } from '@app/voip';
import type { RingCentralAccessTokens, SignedRecordingLinks } from '@app/voip';
import type { Response } from 'express';
import { Readable } from 'node:stream';

const PASSED_HEADERS = ['content-type', 'content-length', 'content-range', 'accept-ranges', 'etag', 'last-modified'];
const FETCH_TIMEOUT_MS = 15_000;

/**
 * Kommo's player fetches call recordings here (the link in the call note). We check our signature, that
 * the account is still connected, then stream the call's recording from the provider's media host with
 * the provider's credentials — Range requests included (206, Accept-Ranges: bytes). Nothing but the
 * provider's media hosts is ever requested.
 */
@Controller('recordings')
export class RecordingProxyController {
  constructor(
    @Inject(RECORDING_LINKS) private readonly links: SignedRecordingLinks,
    @Inject(CALL_REPOSITORY) private readonly calls: CallRepository,
    @Inject(KOMMO_ACCOUNT_REPOSITORY) private readonly accounts: KommoAccountRepository,
    @Inject(VOIP_CONNECTION_REPOSITORY) private readonly connections: VoipConnectionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RINGCENTRAL_ACCESS_TOKENS) private readonly ringCentralTokens: RingCentralAccessTokens,
  ) {}

  @Get(':accountId/:file')
  async stream(
    @Param('accountId') accountIdParam: string,
    @Param('file') file: string,
    @Query('sig') signature: string | undefined,
    @Headers('range') range: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const accountId = /^\d{1,15}$/.test(accountIdParam) ? Number(accountIdParam) : NaN;
    const callId = file.endsWith('.mp3') ? decodeURIComponent(file.slice(0, -4)) : '';
    if (!Number.isSafeInteger(accountId) || !callId || !this.links.isValid(accountId, callId, signature)) {
      throw new ForbiddenException('Invalid recording link');
    }
    const account = await this.accounts.findById(accountId);
    if (!account || account.status === KommoAccountStatus.Disconnected) throw new NotFoundException('Recording not found');
    const call = await this.calls.findById(accountId, callId);
    const recording = call?.recording;
    const connection = await this.connections.findForAccount(accountId);
    if (!call || !recording || !connection) throw new NotFoundException('Recording not found');
    const source = await this.sourceOf(connection, recording.url);
    if (!source) throw new NotFoundException('Recording not available');

    let upstream: globalThis.Response;
    try {
      upstream = await fetch(source.url, {
        headers: { ...source.headers, ...(range && /^bytes=[\d,\- ]+$/.test(range) ? { range } : {}) },
        redirect: 'manual',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch {
      throw new HttpException('The provider did not answer', 502);
    }
    if (![200, 206, 416].includes(upstream.status) || !upstream.body) {
      await upstream.body?.cancel();
      throw new HttpException(upstream.status === 404 ? 'Recording not found at the provider' : 'The provider refused the recording', upstream.status === 404 ? 404 : 502);
    }
    response.status(upstream.status);
    for (const name of PASSED_HEADERS) {
      const value = upstream.headers.get(name);
      if (value) response.setHeader(name, value);
    }
    response.setHeader('accept-ranges', 'bytes');
    response.setHeader('cache-control', 'private, max-age=300');
    Readable.fromWeb(upstream.body as Parameters<typeof Readable.fromWeb>[0]).pipe(response);
  }

  /**
   * RingCentral: the contentUri's path on RINGCENTRAL_MEDIA_BASE_URL, with the connection's bearer token.
   * Zenvia: `/chamada/{id}/gravacao` on ZENVIA_API_BASE_URL with its Access-Token. Only those bases are fetched.
   */
  private async providerMedia(connection: VoipConnection, recordingUrl: string): Promise<{ url: string; headers: Record<string, string> } | null> {
    const allowed = allowedRecordingUrl(connection.provider, recordingUrl);
    if (!allowed) return null;
    if (connection.provider === VoipProvider.Zenvia) {
      if (!/^\/chamada\/[A-Za-z0-9_-]{1,64}\/gravacao$/.test(allowed.pathname)) return null;
      return { url: `${this.config.providers.zenviaApiBaseUrl}${allowed.pathname}`, headers: { 'access-token': connection.credentials.accessToken ?? '' } };
    }
    if (!/^\/restapi\/v1\.0\/account\/[^/]+\/recording\/[^/]+\/content$/.test(allowed.pathname)) return null;
    const token = await this.ringCentralTokens.get(connection).catch(() => null);
    if (!token) return null;
    return { url: `${this.config.providers.ringCentralMediaBaseUrl}${allowed.pathname}${allowed.search}`, headers: { authorization: `Bearer ${token}` } };
  }

  private async sourceOf(connection: VoipConnection, recordingUrl: string): Promise<{ url: string; headers: Record<string, string> } | null> {
    if (connection.provider === VoipProvider.GenericPbx) {
      // Only the host the admin configured; and never our own network unless the operator allows it (SSRF).
      const allowPrivate = this.config.recordingsAllowPrivateNetwork;
      const allowed = allowedPbxRecordingUrl(recordingUrl, connection.credentials.recordingHost, allowPrivate);
      if (!allowed || (!allowPrivate && !(await resolvesToPublicAddresses(allowed.hostname)))) return null;
      return { url: allowed.toString(), headers: {} };
    }
    if (connection.provider === VoipProvider.RingCentral || connection.provider === VoipProvider.Zenvia) return this.providerMedia(connection, recordingUrl);
    if (connection.provider !== VoipProvider.Twilio) return null;
    const allowed = allowedRecordingUrl(connection.provider, recordingUrl);
    if (!allowed) return null;
    const base = new URL(this.config.twilioApiBaseUrl);
    const url = `${base.origin}${allowed.pathname}${allowed.search}`;
    const basic = Buffer.from(`${connection.credentials.accountSid ?? ''}:${connection.credentials.authToken ?? ''}`).toString('base64');
    return { url, headers: { authorization: `Basic ${basic}` } };
  }
}
