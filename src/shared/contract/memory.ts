/**
 * Two connected in-memory transports, for tests and for running core and UI
 * in one process. Messages are cloned the way a real transport serializes
 * them, so a value that would not survive IPC or a WebSocket fails here too.
 */
import type { Message, Transport } from './rpc';

export function memoryPair(): [Transport, Transport] {
  const make = (): { t: Transport; deliver: (m: unknown) => void } => {
    const fns = new Set<(m: unknown) => void>();
    return {
      t: {
        send: () => {},
        onMessage(fn) {
          fns.add(fn);
          return () => fns.delete(fn);
        },
      },
      deliver: (m) => {
        for (const fn of fns) fn(m);
      },
    };
  };
  const a = make();
  const b = make();
  // Asynchronous, like every real transport: nothing may rely on a synchronous reply.
  a.t.send = (m: Message) => void queueMicrotask(() => b.deliver(JSON.parse(JSON.stringify(m)) as unknown));
  b.t.send = (m: Message) => void queueMicrotask(() => a.deliver(JSON.parse(JSON.stringify(m)) as unknown));
  return [a.t, b.t];
}
