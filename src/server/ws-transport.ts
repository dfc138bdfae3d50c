/** The contract over one WebSocket connection (server end). */
import type { WebSocket } from 'ws';
import type { Message, Transport } from '../shared/contract/rpc';

/** Frames larger than this are refused: no contract call needs more. */
export const MAX_FRAME = 1024 * 1024;
/** A client that lets this much pile up unread is dropped rather than allowed to exhaust the host's memory. */
const MAX_BUFFERED = 64 * 1024 * 1024;

export function wsTransport(ws: WebSocket): Transport {
  return {
    send(msg: Message) {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(msg));
    },
    onMessage(fn) {
      const listener = (data: Buffer, isBinary: boolean): void => {
        if (isBinary || data.length > MAX_FRAME) return;
        let msg: unknown;
        try {
          msg = JSON.parse(data.toString('utf8'));
        } catch {
          return;
        }
        fn(msg);
      };
      ws.on('message', listener);
      return () => ws.off('message', listener);
    },
  };
}
