/**
 * The renderer's only door to the rest of Triptych. In Electron the preload
 * has already put the contract on `window.triptych`; in a browser (the
 * browser host, war-room screens) the same contract runs over a WebSocket
 * whose token comes from the page URL. Nothing else in the renderer knows
 * which of the two it has.
 */
import { connect, type Api, type Message, type Transport } from '../../../shared/contract/rpc';
import { triptych, type TriptychContract, type TriptychEvents } from '../../../shared/contract/triptych';

export interface TriptychClient {
  api: Api<TriptychContract>;
  on<K extends keyof TriptychEvents & string>(name: K, fn: (payload: TriptychEvents[K]) => void): () => void;
}

declare global {
  interface Window {
    triptych?: TriptychClient;
  }
}

function webSocketTransport(url: string): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const listeners = new Set<(m: unknown) => void>();
    ws.addEventListener('message', (e) => {
      if (typeof e.data !== 'string') return;
      let msg: unknown;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      for (const l of listeners) l(msg);
    });
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
      resolve({
        send: (m: Message) => ws.send(JSON.stringify(m)),
        onMessage(fn) {
          listeners.add(fn);
          return () => listeners.delete(fn);
        },
      });
    });
    ws.addEventListener('error', () => reject(new Error('cannot reach the Triptych host (is the token in the URL right?)')));
    // A lost host must not leave a screen showing "live" forever: say so, and start
    // afresh (new snapshots) once it answers again.
    ws.addEventListener('close', () => {
      // Only a connection that worked is retried; a refused one (bad token) reports its error.
      if (!opened) return;
      document.documentElement.dataset.connection = 'lost';
      window.setTimeout(() => window.location.reload(), 3000);
    });
  });
}

let client: Promise<TriptychClient> | undefined;

/** The client, connected once. */
export function getClient(): Promise<TriptychClient> {
  if (window.triptych) return Promise.resolve(window.triptych);
  client ??= (async () => {
    const token = new URLSearchParams(window.location.search).get('token') ?? '';
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/ws?token=${encodeURIComponent(token)}`;
    const transport = await webSocketTransport(url);
    const c = connect<TriptychContract, TriptychEvents>(triptych, transport);
    return { api: c.api, on: c.on };
  })().catch((e: unknown) => {
    // Let Retry open a new socket instead of replaying this failure.
    client = undefined;
    throw e;
  });
  return client;
}
