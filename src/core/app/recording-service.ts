/**
 * Recordings: a site's watch events and logs written to
 * `<dataDir>/recordings/*.jsonl`, and their replay into the training fleet.
 * SKELETON (owned by the record/replay helper): replace.
 */
import { ContractError, type EventBus } from '../../shared/contract/rpc';
import type { TriptychEvents } from '../../shared/contract/triptych';
import type { RecordingInfo, ReplayStatus } from '../../shared/recording';
import type { KubeHttp } from '../kube/http';

export interface RecordingServiceOptions {
  dataDir: string;
  bus: EventBus<TriptychEvents>;
  /** A client for a site's API server (its own connections: watches run long). */
  http(site: string): KubeHttp | undefined;
  /** The fleet's control endpoint; absent when the console runs on configured clusters (no replay then). */
  control?: { url: string; token: string; caCert: string };
}

export class RecordingService {
  constructor(private readonly o: RecordingServiceOptions) {}
  async list(): Promise<{ recordings: RecordingInfo[]; replay: ReplayStatus | null }> {
    return { recordings: [], replay: null };
  }
  async start(_site: string, _opts: { minutes: number }): Promise<RecordingInfo> {
    throw new ContractError('unavailable', `recording is not built yet (${this.o.dataDir})`);
  }
  async stop(_id: string): Promise<RecordingInfo> {
    throw new ContractError('unavailable', 'recording is not built yet');
  }
  async replay(_id: string, _opts: { site: string; speed: number }): Promise<ReplayStatus> {
    throw new ContractError('unavailable', 'replay is not built yet');
  }
  async close(): Promise<void> {}
}
