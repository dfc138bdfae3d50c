import { useEffect, useLayoutEffect } from 'react';
import { resolvedTheme } from '../store/selectors';
import { useActions, useApp } from '../store/store';

/** Follows `prefers-color-scheme` and puts the shown theme on <html data-theme>, where the CSS variables hang. */
export function useThemeSync(): 'light' | 'dark' {
  const theme = useApp((s) => resolvedTheme(s.ui));
  const { setSystemDark } = useActions();
  useEffect(() => {
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const on = (): void => setSystemDark(mq.matches);
    on();
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [setSystemDark]);
  // A layout effect: it runs before any passive effect, so the rack map's redraw for this theme already reads its colours.
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return theme;
}
