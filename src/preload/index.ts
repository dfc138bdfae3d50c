/**
 * The only bridge between the sandboxed page and the main process: the
 * contract's calls (`triptych.api.<service>.<method>(…)`) and its events
 * (`triptych.on(name, fn)`), nothing raw — no ipcRenderer, no Node.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { connect, type Message, type Transport } from '../shared/contract/rpc';
import { triptych, type TriptychContract, type TriptychEvents } from '../shared/contract/triptych';

const CALL_CHANNEL = 'triptych:call';
const EVENT_CHANNEL = 'triptych:message';

const transport: Transport = {
  send: (msg: Message) => ipcRenderer.send(CALL_CHANNEL, msg),
  onMessage(fn) {
    const l = (_e: unknown, msg: unknown): void => fn(msg);
    ipcRenderer.on(EVENT_CHANNEL, l);
    return () => ipcRenderer.off(EVENT_CHANNEL, l);
  },
};

const client = connect<TriptychContract, TriptychEvents>(triptych, transport);
const eventNames = new Set<string>(['site.status', 'site.deltas', 'logs.batch', 'exec.output', 'exec.exit', 'vault.status', 'site.credentials', 'runbook.status', 'audit.entry', 'alerts.changed', 'incident.entry', 'training.status', 'recording.status'] satisfies (keyof TriptychEvents)[]);

contextBridge.exposeInMainWorld('triptych', {
  api: client.api,
  on(name: string, fn: (payload: unknown) => void) {
    if (!eventNames.has(name) || typeof fn !== 'function') throw new Error(`no such event: ${String(name)}`);
    return client.on(name as keyof TriptychEvents & string, fn as never);
  },
});
