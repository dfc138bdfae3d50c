/**
 * IPC sender checks, with Electron's ipcMain replaced by a plain emitter
 * (no Electron binary runs here). What is tested is our filter: messages
 * from another window or from a subframe never reach the dispatcher.
 */
import { EventEmitter } from 'node:events';
import type { WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';

const ipcMain = new EventEmitter();
vi.mock('electron', () => ({ ipcMain }));

const { ipcTransport, CALL_CHANNEL } = await import('./ipc');

function fakeContents(url: string) {
  const mainFrame = { url };
  return { mainFrame, isDestroyed: () => false, send: vi.fn() } as unknown as WebContents & { mainFrame: { url: string } };
}

describe('IPC transport', () => {
  it('passes messages from the top frame of our app, and drops others', () => {
    const win = fakeContents('triptych://app/index.html');
    const other = fakeContents('triptych://app/index.html');
    const t = ipcTransport(win);
    const got: unknown[] = [];
    const off = t.onMessage((m) => got.push(m));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    ipcMain.emit(CALL_CHANNEL, { sender: win, senderFrame: win.mainFrame }, { ok: 1 });
    ipcMain.emit(CALL_CHANNEL, { sender: other, senderFrame: other.mainFrame }, { from: 'another window' });
    ipcMain.emit(CALL_CHANNEL, { sender: win, senderFrame: { url: 'triptych://app/index.html' } }, { from: 'a subframe' });
    ipcMain.emit(CALL_CHANNEL, { sender: win, senderFrame: { url: 'https://evil.example/' } }, { from: 'elsewhere' });
    const evil = fakeContents('https://evil.example/');
    const t2 = ipcTransport(evil);
    const got2: unknown[] = [];
    t2.onMessage((m) => got2.push(m));
    ipcMain.emit(CALL_CHANNEL, { sender: evil, senderFrame: evil.mainFrame }, { from: 'a navigated window' });
    expect(got).toEqual([{ ok: 1 }]);
    expect(got2).toEqual([]);
    expect(warn).toHaveBeenCalled();
    off();
    ipcMain.emit(CALL_CHANNEL, { sender: win, senderFrame: win.mainFrame }, { after: 'off' });
    expect(got).toEqual([{ ok: 1 }]);
  });
});
