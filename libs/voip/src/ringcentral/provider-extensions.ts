import type { VoipConnection, VoipProvider } from '@app/domain';

/** One entry of the provider's own directory, offered on the "assign extensions to managers" page. */
export interface ProviderExtension {
  /** What calls name the manager by (RingCentral extension id, Zenvia ramal number): the mapping key. */
  readonly identity: string;
  readonly name: string;
  readonly kind: string;
}

/** A provider's extension list (RingCentral extensions, Zenvia ramais). */
export interface ProviderExtensionList {
  readonly provider: VoipProvider;
  listExtensions(connection: VoipConnection): Promise<ProviderExtension[]>;
}
