import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { getClient } from '../api';
import { fitToElement } from '../logs/fit';
import type { ShellRequest } from '../store/initialState';
import { useActions, useApp } from '../store/store';

const FONT_SIZE = 13;

/**
 * A shell in a container, in the terminal dock: keystrokes (Ctrl-C
 * included) go to the container, output comes back already stripped of what
 * a terminal must not obey (clipboard writes, links, titles), the window
 * size follows the dock, and the end shows the exit status. Copy and paste
 * are xterm's own (select to copy; Ctrl+Shift+V / the browser's paste).
 */
export function TerminalPanel() {
  const req = useApp((s) => s.ui.shell);
  const { closeShell } = useActions();
  if (!req) return null;
  return <Shell key={req.token} req={req} onClose={closeShell} />;
}

function Shell({ req, onClose }: { req: ShellRequest; onClose: () => void }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ phase: 'opening' | 'open' | 'ended' | 'failed'; text?: string; exitCode?: number }>({ phase: 'opening' });

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const term = new Terminal({ fontSize: FONT_SIZE, cursorBlink: true, scrollback: 5000, theme: { background: '#0b0d10' } });
    term.open(host);
    const unfit = fitToElement(term, host, FONT_SIZE);
    let id: string | undefined;
    let disposed = false;
    const offs: (() => void)[] = [];
    void (async () => {
      try {
        const c = await getClient();
        const early: { stream: string; data: string }[] = [];
        offs.push(
          c.on('exec.output', (o) => (id === undefined ? early.push(o) : o.stream === id && term.write(o.data))),
          c.on('exec.exit', (e) => {
            if (e.stream !== id) return;
            term.write(`\r\n\x1b[2m── ${e.summary}\x1b[0m\r\n`);
            setState({ phase: 'ended', text: e.summary, exitCode: e.exitCode });
          }),
        );
        const r = await c.api.exec.start({ site: req.site, namespace: req.namespace, pod: req.pod, container: req.container, command: ['sh'], cols: term.cols, rows: term.rows });
        if (disposed) return void c.api.exec.close(r.stream).catch(() => undefined);
        id = r.stream;
        for (const o of early.splice(0)) if (o.stream === id) term.write(o.data);
        setState({ phase: 'open', text: r.protocol });
        term.focus();
        const typed = term.onData((d) => void c.api.exec.input(r.stream, d).catch(() => undefined));
        const resized = term.onResize(({ cols, rows }) => void c.api.exec.resize(r.stream, cols, rows).catch(() => undefined));
        offs.push(
          () => typed.dispose(),
          () => resized.dispose(),
        );
      } catch (e) {
        setState({ phase: 'failed', text: e instanceof Error ? e.message : String(e) });
      }
    })();
    return () => {
      disposed = true;
      unfit();
      for (const off of offs) off();
      if (id) void getClient().then((c) => c.api.exec.close(id as string).catch(() => undefined));
      term.dispose();
    };
  }, [req]);

  return (
    <section className="log-dock" data-testid="shell-dock" data-phase={state.phase} data-exit-code={state.exitCode ?? ''} aria-label={`Shell in ${req.pod}/${req.container} at ${req.site}`}>
      <div className="log-dock__bar">
        <strong className="log-dock__title">
          Shell · {req.site} · {req.namespace}/{req.pod} · {req.container}
        </strong>
        <span className="muted" data-testid="shell-state">
          {state.phase === 'opening' ? 'connecting…' : state.phase === 'open' ? `connected (${state.text})` : state.text}
        </span>
        <button type="button" className="icon-button" aria-label="Close shell" onClick={onClose}>
          ✕
        </button>
      </div>
      {state.phase === 'failed' && (
        <p className="text-bad log-dock__error" role="alert">
          {state.text}
        </p>
      )}
      <div className="log-dock__term" ref={hostRef} />
    </section>
  );
}
