/** Who is acting, as proven by Kommo's signed widget token (never taken from the request body). */
export interface SettingsActor {
  readonly accountId: number;
  readonly userId: number;
  readonly isAdmin: boolean;
}
