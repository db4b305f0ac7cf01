/**
 * Whether the queue store (Redis) still holds its data: a marker written once and kept. A store that lost its
 * dataset (restarted without persistence, failed over to an empty replica, flushed) has no marker any more.
 */
export interface QueueDataMarker {
  /**
   * true when the marker is missing and this caller now owns the rebuild; the claim lapses after a while if the
   * rebuild is never confirmed (the owner died), so another process rebuilds. false: the data is intact, or
   * another process is rebuilding.
   */
  claimRebuild(): Promise<boolean>;
  /** The rebuild is done: the marker stays until the store loses its data again. */
  confirmRebuilt(): Promise<void>;
}
