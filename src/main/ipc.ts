/**
 * The contract over Electron IPC: one channel for calls, one for events.
 * Every message is checked for its sender (our page's top frame, see
 * security.ts) before the dispatcher validates its arguments.
 */
import { ipcMain, type IpcMainEvent, type WebContents } from 'electron';
import type { Message, Transport } from '../shared/contract/rpc';
import { isTrustedSender } from './security';

export const CALL_CHANNEL = 'triptych:call';
export const EVENT_CHANNEL = 'triptych:message';

/** A transport for one window. Messages from any other sender are dropped and logged. */
export function ipcTransport(contents: WebContents): Transport {
  return {
    send(msg: Message) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, msg);
    },
    onMessage(fn) {
      const listener = (e: IpcMainEvent, msg: unknown): void => {
        if (e.sender !== contents) return;
        const frame = e.senderFrame;
        if (!isTrustedSender(frame?.url, frame === contents.mainFrame)) {
          console.warn(`refused IPC from an untrusted frame: ${frame?.url ?? 'unknown'}`);
          return;
        }
        fn(msg);
      };
      ipcMain.on(CALL_CHANNEL, listener);
      return () => ipcMain.off(CALL_CHANNEL, listener);
    },
  };
}
