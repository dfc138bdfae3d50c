/**
 * Training sessions: talks to the training fleet's control endpoint to start
 * scenarios, inject faults and follow goals; writes the debrief from the
 * audit trail. Only in training mode.
 * SKELETON (owned by the training helper): replace.
 */
import { ContractError, type EventBus } from '../../shared/contract/rpc';
import type { TriptychEvents } from '../../shared/contract/triptych';
import type { Debrief, FaultDoc, ScenarioSummary, TrainingStatus } from '../../shared/training';
import type { AuditLog } from '../audit';

export interface TrainingServiceOptions {
  /** The fleet's control endpoint; absent when the console runs on configured clusters. */
  control?: { url: string; token: string; caCert: string };
  bus: EventBus<TriptychEvents>;
  audit: AuditLog;
  who(): string;
}

export class TrainingService {
  constructor(private readonly o: TrainingServiceOptions) {}
  status(): TrainingStatus {
    return { available: this.o.control !== undefined, run: null };
  }
  async catalogue(): Promise<{ scenarios: ScenarioSummary[]; faults: FaultDoc[] }> {
    throw new ContractError('unavailable', 'training is not built yet');
  }
  async start(_name: string): Promise<TrainingStatus> {
    throw new ContractError('unavailable', 'training is not built yet');
  }
  async advance(): Promise<TrainingStatus> {
    throw new ContractError('unavailable', 'training is not built yet');
  }
  async inject(_fault: Record<string, unknown> & { fault: string }): Promise<{ result: string }> {
    throw new ContractError('unavailable', 'training is not built yet');
  }
  async stop(): Promise<Debrief> {
    throw new ContractError('unavailable', 'training is not built yet');
  }
  debrief(): Debrief | null {
    return null;
  }
  async close(): Promise<void> {}
}
