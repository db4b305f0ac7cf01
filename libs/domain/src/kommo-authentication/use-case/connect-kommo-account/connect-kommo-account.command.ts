export interface ConnectKommoAccountCommand {
  readonly code: string;
  /** Bare account host Kommo redirected from, e.g. `acme.kommo.com`. Attacker-controllable until checked. */
  readonly referer: string;
  /** Present in the button flow; absent in the widget-install flow. */
  readonly state: string | null;
  /** True for the widget-install flow (Kommo's GET with `from_widget`, no state). */
  readonly fromWidget: boolean;
}
