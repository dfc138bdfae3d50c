/**
 * The incident timeline: operators' notes and what the console saw itself
 * (sites lost and back, alerts firing and resolved, runbooks started and
 * ended), kept in `<dataDir>/incident/timeline.jsonl` and published as
 * `incident.entry`.
 * SKELETON (owned by the war-room helper): replace.
 */
import { ContractError, type EventBus } from '../../shared/contract/rpc';
import type { TriptychEvents } from '../../shared/contract/triptych';
import type { IncidentEntry } from '../../shared/incident';

export interface IncidentServiceOptions {
  dataDir: string;
  bus: EventBus<TriptychEvents>;
  who(): string;
}

export class IncidentService {
  constructor(private readonly o: IncidentServiceOptions) {}
  async start(): Promise<void> {}
  timeline(): IncidentEntry[] {
    return [];
  }
  async note(_input: { text: string; site?: string }): Promise<IncidentEntry> {
    throw new ContractError('unavailable', `incident notes are not built yet (${this.o.dataDir})`);
  }
  async close(): Promise<void> {}
}
