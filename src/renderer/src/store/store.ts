/**
 * The store instance the app uses, and the factory tests use with fake deps.
 */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { getClient } from '../api';
import { createActions, type AppStore } from './actions';
import { browserDeps, type StoreDeps } from './deps';
import { initialState, type ThemePref } from './initialState';

/** A store over the given deps (tests pass fakes; the app passes {@link browserDeps}). */
export function createAppStore(deps: StoreDeps, themePref: ThemePref = 'system', systemDark = false): StoreApi<AppStore> {
  return createStore<AppStore>()((set, get) => ({
    ...initialState(deps.now(), themePref, systemDark),
    actions: createActions(set, get, deps),
  }));
}

const THEME_KEY = 'triptych.theme';

function savedThemePref(): ThemePref {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    // Storage can be disabled (kiosk browsers on war-room screens): fall back to the system theme.
    return 'system';
  }
}

function systemPrefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

let appStore: StoreApi<AppStore> | undefined;

/** The app's store, created on first use (not at import time, so tests never touch `window`). */
export function getAppStore(): StoreApi<AppStore> {
  if (appStore === undefined) {
    const store = createAppStore(browserDeps(getClient), savedThemePref(), systemPrefersDark());
    store.subscribe((s, prev) => {
      if (s.ui.themePref === prev.ui.themePref) return;
      try {
        if (s.ui.themePref === 'system') localStorage.removeItem(THEME_KEY);
        else localStorage.setItem(THEME_KEY, s.ui.themePref);
      } catch {
        // Not persisted; the choice still holds for this session.
      }
    });
    appStore = store;
  }
  return appStore;
}

/** Reads a slice of the app's store; re-renders when that slice changes (by reference). */
export function useApp<T>(selector: (s: AppStore) => T): T {
  return useStore(getAppStore(), selector);
}

/** The actions (a stable object). */
export function useActions(): AppStore['actions'] {
  return useStore(getAppStore(), (s) => s.actions);
}
