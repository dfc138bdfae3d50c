import { resolvedTheme } from '../store/selectors';
import { useActions, useApp } from '../store/store';

/** Switches between the light and the dark theme (overriding the system's choice). */
export function ThemeToggle() {
  const theme = useApp((s) => resolvedTheme(s.ui));
  const { toggleTheme } = useActions();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="icon-button" data-testid="theme-toggle" data-theme-shown={theme} aria-label={`Switch to the ${next} theme`} title={`Switch to the ${next} theme`} onClick={toggleTheme}>
      {theme === 'dark' ? '☀' : '☾'}
    </button>
  );
}
