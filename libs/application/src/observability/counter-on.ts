import { Counter, Registry } from 'prom-client';

/**
 * The counter `name` on `registry`: created once, reused by a second module instance in the same process (prom-client
 * refuses a second metric of one name on a registry).
 */
export function counterOn<L extends string = never>(registry: Registry, name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
  return (registry.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter<L>({ name, help, labelNames, registers: [registry] });
}
