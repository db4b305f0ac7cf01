import { randomBytes } from 'node:crypto';
import { Clock, SecureRandom } from '@app/domain';

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

export class CryptoSecureRandom implements SecureRandom {
  token(bytes: number): string {
    return randomBytes(bytes).toString('base64url');
  }
}
