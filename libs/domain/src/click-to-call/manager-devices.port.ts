import { E164 } from '../call/e164';

/**
 * A VoIP identity of a manager, from the extension map, already classified at the edge (numbers are parsed
 * there, never in the domain).
 */
export type ManagerDevice =
  /** Their own phone (mobile, desk): the provider can ring it for click-to-call. */
  | { readonly kind: 'phone'; readonly e164: E164; readonly mapped: string }
  /** A SIP URI (desk phone or softphone registered elsewhere). */
  | { readonly kind: 'sip'; readonly uri: string; readonly mapped: string }
  /** A Twilio Voice SDK client identity (letters, digits, underscores): the browser softphone. */
  | { readonly kind: 'client'; readonly identity: string; readonly mapped: string }
  /** Anything else (a PBX extension, an identity Twilio would refuse): kept to explain what is wrong. */
  | { readonly kind: 'other'; readonly mapped: string; readonly problem: string };

/** The devices mapped to one Kommo user (the "assign extensions to managers" table). */
export interface ManagerDevices {
  devicesOf(accountId: number, userId: number): Promise<readonly ManagerDevice[]>;
  /** The Kommo user a Twilio client identity (`client:` prefix or not) is mapped to. */
  userOfClientIdentity(accountId: number, identity: string): Promise<number | null>;
}
