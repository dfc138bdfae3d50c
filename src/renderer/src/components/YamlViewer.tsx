import { useEffect, useRef, useState } from 'react';
import type { MonacoApi } from '../monaco/loadMonaco';
import { loadMonaco } from '../monaco/loadMonaco';
import { resolvedTheme } from '../store/selectors';
import { useApp } from '../store/store';

type Editor = ReturnType<MonacoApi['editor']['create']>;

/**
 * Read-only YAML in Monaco, loaded on first use. The text is shown in a
 * <pre> until the editor is up, and stays there if Monaco cannot load (CSP,
 * worker, old engine): never a blank panel.
 */
export function YamlViewer({ yaml }: { yaml: string }) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<Editor | undefined>(undefined);
  const monacoRef = useRef<MonacoApi | undefined>(undefined);
  const [mode, setMode] = useState<'loading' | 'editor' | 'plain'>('loading');
  const theme = useApp((s) => resolvedTheme(s.ui));
  // The first value and theme the editor is created with; later changes go through the effects below.
  const initial = useRef({ yaml, theme });

  useEffect(() => {
    let disposed = false;
    loadMonaco().then(
      (monaco) => {
        if (disposed || host.current === null) return;
        try {
          monacoRef.current = monaco;
          editor.current = monaco.editor.create(host.current, {
            value: initial.current.yaml,
            language: 'yaml',
            theme: initial.current.theme === 'dark' ? 'vs-dark' : 'vs',
            readOnly: true,
            domReadOnly: true,
            automaticLayout: true,
            minimap: { enabled: false },
            scrollBeyondLastLine: false,
            renderLineHighlight: 'none',
            fontSize: 12,
            folding: true,
            contextmenu: true,
          });
          setMode('editor');
        } catch (e) {
          console.warn('Monaco could not start; showing plain text', e);
          setMode('plain');
        }
      },
      (e: unknown) => {
        console.warn('Monaco could not load; showing plain text', e);
        if (!disposed) setMode('plain');
      },
    );
    return () => {
      disposed = true;
      editor.current?.getModel()?.dispose();
      editor.current?.dispose();
      editor.current = undefined;
    };
  }, []);

  useEffect(() => {
    const ed = editor.current;
    if (ed && ed.getValue() !== yaml) ed.setValue(yaml);
  }, [yaml]);

  useEffect(() => {
    monacoRef.current?.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme, mode]);

  return (
    <div className="yaml" data-yaml-mode={mode}>
      <div ref={host} className="yaml__editor" data-testid="yaml-viewer" hidden={mode !== 'editor'} />
      {mode !== 'editor' && (
        <pre className="yaml__plain" data-testid="yaml-plain">
          {yaml}
        </pre>
      )}
      {mode === 'plain' && <p className="muted">The editor could not load; plain text shown.</p>}
    </div>
  );
}
