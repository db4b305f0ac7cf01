import { SecureRandom } from '../../../shared/secure-random.port';
import { OAuthStateStore } from '../../kommo-oauth.port';

export const INSTALL_STATE_TTL_MS = 10 * 60 * 1000;

/** An administrator starts installing the integration from our site ("button" flow). */
export class StartKommoInstallUseCase {
  constructor(
    private readonly states: OAuthStateStore,
    private readonly random: SecureRandom,
  ) {}

  /** Issues the one-time `state` to send to Kommo's authorization page. */
  async execute(): Promise<{ state: string }> {
    const state = this.random.token(32);
    await this.states.issue(state, INSTALL_STATE_TTL_MS);
    return { state };
  }
}
