import { useEffect, useRef, useState } from 'react';
import type { MonacoApi } from '../monaco/loadMonaco';
import { loadYamlEditing } from '../monaco/yamlLanguage';
import { resolvedTheme } from '../store/selectors';
import { useApp } from '../store/store';

type DiffEditor = ReturnType<MonacoApi['editor']['createDiffEditor']>;

interface Props {
  /** Left: the object as read. */
  original: string;
  /** Right: what the server would store. */
  modified: string;
  testId?: string;
}

/**
 * Two YAML texts side by side in Monaco's diff editor, read-only. The host
 * element carries `data-diff="ready"` and the number of changed regions once
 * the diff is computed (in the editor worker), which is also what tests wait
 * for. Without Monaco, both texts are shown one above the other.
 */
export function DiffView({ original, modified, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const theme = useApp((s) => resolvedTheme(s.ui));
  const [mode, setMode] = useState<'loading' | 'editor' | 'plain'>('loading');
  const [changes, setChanges] = useState<number | undefined>(undefined);
  const monacoRef = useRef<MonacoApi | undefined>(undefined);
  const initial = useRef({ original, modified, theme });

  useEffect(() => {
    let disposed = false;
    let diff: DiffEditor | undefined;
    const models: { dispose(): void }[] = [];
    loadYamlEditing().then(
      (monaco) => {
        if (disposed || host.current === null) return;
        try {
          const { original: o, modified: m, theme: t } = initial.current;
          const left = monaco.editor.createModel(o, 'yaml');
          const right = monaco.editor.createModel(m, 'yaml');
          models.push(left, right);
          diff = monaco.editor.createDiffEditor(host.current, {
            theme: t === 'dark' ? 'vs-dark' : 'vs',
            readOnly: true,
            originalEditable: false,
            automaticLayout: true,
            renderSideBySide: true,
            minimap: { enabled: false },
            scrollBeyondLastLine: false,
            fontSize: 13,
            // Long objects: the unchanged stretches fold away so the changes are what the admin sees.
            hideUnchangedRegions: { enabled: true, contextLineCount: 3, minimumLineCount: 3, revealLineCount: 10 },
          });
          diff.setModel({ original: left, modified: right });
          diff.onDidUpdateDiff(() => setChanges(diff?.getLineChanges()?.length ?? 0));
          monacoRef.current = monaco;
          setMode('editor');
        } catch (e) {
          console.warn('Monaco could not start; showing the texts without a diff', e);
          setMode('plain');
        }
      },
      (e: unknown) => {
        console.warn('Monaco could not load; showing the texts without a diff', e);
        if (!disposed) setMode('plain');
      },
    );
    return () => {
      disposed = true;
      diff?.dispose();
      for (const m of models) m.dispose();
    };
  }, []);

  useEffect(() => {
    monacoRef.current?.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme, mode]);

  return (
    <div className="diff-view" data-testid={testId} data-editor-mode={mode} data-diff={changes === undefined ? 'computing' : 'ready'} data-changes={changes}>
      <div ref={host} className="diff-view__monaco" hidden={mode !== 'editor'} />
      {mode !== 'editor' && (
        <div className="diff-view__plain">
          <h4>Now</h4>
          <pre>{original}</pre>
          <h4>After the change (the server’s answer)</h4>
          <pre>{modified}</pre>
        </div>
      )}
    </div>
  );
}
