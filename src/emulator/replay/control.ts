/**
 * The control endpoint's replay routes (one replay at a time in a fleet):
 *
 *   POST   /v1/replay   {"file":"/abs/path/rec.jsonl","site":"ams","speed":20}
 *   GET    /v1/replay   the replay playing or last played (null before any)
 *   DELETE /v1/replay   stops it; the site's simulation resumes
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Site } from '../sim/site';
import { parseRecording, RecordingFormatError } from './format';
import { Replay, type ReplayState } from './replay';

/** Larger recordings are refused rather than read into memory whole. */
export const MAX_REPLAY_BYTES = 512 * 1024 * 1024;

/** A request the replay routes refuse, with the reason in words the caller can act on (HTTP 400, or `code`). */
export class ReplayError extends Error {
  constructor(
    message: string,
    readonly code = 400,
  ) {
    super(message);
  }
}

export interface ReplayRequest {
  file: string;
  site: string;
  speed?: number;
}

export class ReplayManager {
  private sites: Site[] = [];
  private quiet: (site: string) => void = () => {};
  private current: Replay | undefined;

  /** The fleet's sites, and how to stop load generators at a site (they would fight the replay too). */
  useSites(sites: Site[], stopChurn: (site: string) => void): void {
    this.sites = sites;
    this.quiet = stopChurn;
  }

  status(): ReplayState | null {
    return this.current?.status() ?? null;
  }

  /** Loads and starts a replay, ending the one playing. */
  async start(req: ReplayRequest): Promise<ReplayState> {
    if (typeof req.file !== 'string' || !path.isAbsolute(req.file)) throw new ReplayError('"file" must be the absolute path of a recording (.jsonl) on the fleet\'s machine');
    if (!/\.jsonl$/.test(req.file)) throw new ReplayError(`"${path.basename(req.file)}" is not a recording: recordings are .jsonl files`);
    const speed = req.speed ?? 1;
    if (typeof speed !== 'number' || !Number.isFinite(speed) || speed < 0.1 || speed > 1000) throw new ReplayError(`"speed" must be a number from 0.1 to 1000 (1 = as recorded), found ${JSON.stringify(req.speed)}`);
    const site = this.sites.find((s) => s.name === req.site);
    if (!site) throw new ReplayError(`no training site "${String(req.site)}"; sites: ${this.sites.map((s) => s.name).join(', ')}`);
    let size: number;
    try {
      size = (await stat(req.file)).size;
    } catch (e) {
      throw new ReplayError(`cannot read ${req.file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    if (size > MAX_REPLAY_BYTES) throw new ReplayError(`${path.basename(req.file)} is ${Math.round(size / 1048576)} MiB; replays read at most ${MAX_REPLAY_BYTES / 1048576} MiB`);
    let rec;
    try {
      rec = parseRecording(await readFile(req.file, 'utf8'), path.basename(req.file));
    } catch (e) {
      if (e instanceof RecordingFormatError) throw new ReplayError(e.message);
      throw e;
    }
    this.current?.stop();
    this.quiet(site.name);
    const replay = new Replay(site, rec, speed);
    this.current = replay;
    replay.start();
    return replay.status();
  }

  stop(): ReplayState | null {
    this.current?.stop();
    return this.status();
  }

  /** Answers a /v1/replay request; false when the path is not a replay route. */
  async handle(method: string, p: string, body: () => Promise<unknown>, send: (code: number, body: unknown) => void): Promise<boolean> {
    if (p !== '/v1/replay') return false;
    try {
      if (method === 'GET') send(200, { replay: this.status() });
      else if (method === 'DELETE') send(200, { replay: this.stop() });
      else if (method === 'POST') {
        const b = await body();
        if (!b || typeof b !== 'object') throw new ReplayError('body must be JSON like {"file":"/path/to/recording.jsonl","site":"ams","speed":20}');
        send(200, { replay: await this.start(b as ReplayRequest) });
      } else send(405, { error: `${method} is not allowed on /v1/replay (GET, POST, DELETE)` });
    } catch (e) {
      send(e instanceof ReplayError ? e.code : 500, { error: (e as Error).message });
    }
    return true;
  }
}
