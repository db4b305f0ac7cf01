/** Unguessable tokens (OAuth state, webhook path keys, generated signing secrets). */
export interface SecureRandom {
  /** URL-safe random string carrying at least `bytes` bytes of entropy. */
  token(bytes: number): string;
}
