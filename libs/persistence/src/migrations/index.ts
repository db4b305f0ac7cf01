import { InitialSchema1795537489068 } from './1795537489068-initial-schema';
import { CallWebhookInbox1795544326185 } from './1795544326185-call-webhook-inbox';
import { CallStore1795545579467 } from './1795545579467-call-store';
import { IncomingLeadPipeline1795548063305 } from './1795548063305-incoming-lead-pipeline';
import { RoutingSettings1795551138553 } from './1795551138553-routing-settings';
import { VoipProviderState1795551411836 } from './1795551411836-voip-provider-state';
import { AccountCountry1795561587088 } from './1795561587088-account-country';
import { ExtensionMatchKey1795561596687 } from './1795561596687-extension-match-key';

/** Listed explicitly (no globs): the apps are bundled by webpack. Append every new migration. */
export const MIGRATIONS = [InitialSchema1795537489068, CallWebhookInbox1795544326185, CallStore1795545579467, IncomingLeadPipeline1795548063305, RoutingSettings1795551138553, VoipProviderState1795551411836, AccountCountry1795561587088, ExtensionMatchKey1795561596687];
