import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of the generic PBX contract (docs/generic-pbx.md). */
export const PBX_TIMESTAMP_HEADER = 'x-pbx-timestamp';
export const PBX_SIGNATURE_HEADER = 'x-pbx-signature';
/** Deliveries older or newer than this are refused (replay protection). */
export const PBX_SIGNATURE_TOLERANCE_SECONDS = 300;

/** `v1=` + hex HMAC-SHA256 of `<timestamp>.<raw body>` with the connection's signing secret. */
export function signGenericPbxPayload(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

export type PbxSignatureProblem = 'missing' | 'stale' | 'mismatch';

export function checkGenericPbxSignature(input: {
  secret: string;
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  rawBody: Buffer;
  nowSeconds: number;
}): PbxSignatureProblem | null {
  const { timestampHeader, signatureHeader } = input;
  if (!input.secret || !timestampHeader || !signatureHeader || !/^\d{1,12}$/.test(timestampHeader)) return 'missing';
  const timestamp = Number(timestampHeader);
  if (Math.abs(input.nowSeconds - timestamp) > PBX_SIGNATURE_TOLERANCE_SECONDS) return 'stale';
  const expected = Buffer.from(signGenericPbxPayload(input.secret, timestamp, input.rawBody));
  // Several signatures may be sent (secret rotation): any one valid signature passes.
  const candidates = signatureHeader.split(',').map((part) => Buffer.from(part.trim()));
  return candidates.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected)) ? null : 'mismatch';
}
