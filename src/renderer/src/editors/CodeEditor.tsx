import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { MonacoApi } from '../monaco/loadMonaco';
import { loadYamlEditing } from '../monaco/yamlLanguage';
import { resolvedTheme } from '../store/selectors';
import { useApp } from '../store/store';
import { issueEndColumn } from './runbookDraft';

type Editor = ReturnType<MonacoApi['editor']['create']>;
type Model = ReturnType<MonacoApi['editor']['createModel']>;
/** A marker as Monaco reports it (from any owner: monaco-yaml's `yaml`, our host markers). */
export type EditorMarker = ReturnType<MonacoApi['editor']['getModelMarkers']>[number];

/** Markers one owner puts on the model, located by 1-based line and column range. */
export interface OwnedMarkers {
  owner: string;
  /** Without `endColumn`, a marker covers the token at line:column (see issueEndColumn). */
  markers: { line: number; column: number; endColumn?: number; message: string; severity: 'error' | 'warning' }[];
}

/** What the editor's owner can do with it. */
export interface CodeEditorHandle {
  /** The current text (the editor's, or the plain fallback's). */
  getValue(): string;
  /** Puts the cursor at line:column, scrolls there and focuses the editor. */
  goTo(line: number, column: number): void;
}

interface Props {
  /** The model's URI: monaco-yaml picks the schema by it (see monaco/yamlLanguage). */
  uri: string;
  /** The text to show; a new `token` replaces the editor's content with it. */
  doc: { text: string; token: number };
  onChange?(text: string): void;
  /** Every marker on the model, whenever they change. */
  onMarkers?(markers: EditorMarker[]): void;
  /** Markers from outside the language service (the host's validation). */
  extraMarkers?: OwnedMarkers;
  readOnly?: boolean;
  /**
   * Suggestions as you type (the schema's keys and values). Off where there is
   * no schema to suggest from: word guesses popping up would only make Enter
   * accept one instead of starting a line. Ctrl+Space asks either way.
   */
  suggest?: boolean;
  testId?: string;
  handle?: Ref<CodeEditorHandle>;
}

/**
 * An editable YAML editor: Monaco with the YAML language service, loaded on
 * first use. Until it is up, and if it cannot load (CSP, worker, old
 * engine), a plain textarea holds the text, so the admin can still edit and
 * review: never a blank panel.
 */
export function CodeEditor({ uri, doc, onChange, onMarkers, extraMarkers, readOnly = false, suggest = true, testId, handle }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plain = useRef<HTMLTextAreaElement>(null);
  const editor = useRef<Editor | undefined>(undefined);
  const model = useRef<Model | undefined>(undefined);
  const monacoRef = useRef<MonacoApi | undefined>(undefined);
  const [mode, setMode] = useState<'loading' | 'editor' | 'plain'>('loading');
  const theme = useApp((s) => resolvedTheme(s.ui));
  // Callbacks change every render; the editor's listeners read the latest through this.
  const latest = useRef({ onChange, onMarkers, doc });
  latest.current = { onChange, onMarkers, doc };
  // What the editor is created with (the document is the latest one, read when Monaco is up); later changes go through the effects below.
  const initial = useRef({ uri, theme, readOnly, suggest });

  useEffect(() => {
    let disposed = false;
    const subscriptions: { dispose(): void }[] = [];
    loadYamlEditing().then(
      (monaco) => {
        if (disposed || host.current === null) return;
        try {
          const { uri: u, theme: t, readOnly: ro, suggest: sg } = initial.current;
          const d = latest.current.doc;
          const resource = monaco.Uri.parse(u);
          // A model left by an editor closed mid-load would make createModel throw: reuse its URI afresh.
          monaco.editor.getModel(resource)?.dispose();
          const m = monaco.editor.createModel(d.text, 'yaml', resource);
          const ed = monaco.editor.create(host.current, {
            model: m,
            theme: t === 'dark' ? 'vs-dark' : 'vs',
            readOnly: ro,
            automaticLayout: true,
            minimap: { enabled: false },
            scrollBeyondLastLine: false,
            fontSize: 13,
            tabSize: 2,
            insertSpaces: true,
            // YAML's structure is its indentation: Enter keeps the line's, nothing guesses more.
            autoIndent: 'keep',
            quickSuggestions: sg ? { other: true, comments: false, strings: false } : false,
            suggestOnTriggerCharacters: sg,
            wordBasedSuggestions: sg ? 'currentDocument' : 'off',
            fixedOverflowWidgets: false,
            renderWhitespace: 'boundary',
          });
          monacoRef.current = monaco;
          model.current = m;
          editor.current = ed;
          subscriptions.push(
            m.onDidChangeContent(() => latest.current.onChange?.(m.getValue())),
            monaco.editor.onDidChangeMarkers((uris) => {
              if (uris.some((x) => x.toString() === m.uri.toString())) latest.current.onMarkers?.(monaco.editor.getModelMarkers({ resource: m.uri }));
            }),
          );
          setMode('editor');
        } catch (e) {
          console.warn('Monaco could not start; editing as plain text', e);
          setMode('plain');
        }
      },
      (e: unknown) => {
        console.warn('Monaco could not load; editing as plain text', e);
        if (!disposed) setMode('plain');
      },
    );
    return () => {
      disposed = true;
      for (const s of subscriptions) s.dispose();
      editor.current?.dispose();
      model.current?.dispose();
      editor.current = undefined;
      model.current = undefined;
    };
  }, []);

  // A new document (another runbook, the object read again): replace the text, undo history included.
  useEffect(() => {
    const m = model.current;
    if (m && m.getValue() !== doc.text) m.setValue(doc.text);
    if (plain.current && plain.current.value !== doc.text) plain.current.value = doc.text;
    editor.current?.setScrollTop(0);
    // The token says when; the text comes with it.
  }, [doc.token]);

  useEffect(() => {
    const monaco = monacoRef.current;
    const m = model.current;
    if (!monaco || !m || !extraMarkers) return;
    const lines = m.getLineCount();
    monaco.editor.setModelMarkers(
      m,
      extraMarkers.owner,
      extraMarkers.markers
        .filter((x) => x.line >= 1 && x.line <= lines)
        .map((x) => ({
          startLineNumber: x.line,
          startColumn: x.column,
          endLineNumber: x.line,
          endColumn: x.endColumn ?? issueEndColumn(m.getLineContent(x.line), x.column),
          message: x.message,
          severity: x.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Error,
          source: 'triptych',
        })),
    );
  }, [extraMarkers, mode]);

  useEffect(() => {
    monacoRef.current?.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme, mode]);

  useEffect(() => {
    editor.current?.updateOptions({ readOnly });
  }, [readOnly, mode]);

  useImperativeHandle(
    handle,
    () => ({
      getValue: () => model.current?.getValue() ?? plain.current?.value ?? doc.text,
      goTo(line, column) {
        const ed = editor.current;
        if (ed) {
          ed.setPosition({ lineNumber: line, column });
          ed.revealPositionInCenter({ lineNumber: line, column });
          ed.focus();
          return;
        }
        const ta = plain.current;
        if (ta) {
          const offset = ta.value.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
          ta.focus();
          ta.setSelectionRange(offset, offset);
        }
      },
    }),
    [doc.text],
  );

  return (
    <div className="code-editor" data-editor-mode={mode} data-testid={testId}>
      <div ref={host} className="code-editor__monaco" hidden={mode !== 'editor'} />
      {mode !== 'editor' && (
        <textarea
          ref={plain}
          className="code-editor__plain"
          defaultValue={doc.text}
          readOnly={readOnly || mode === 'loading'}
          spellCheck={false}
          aria-label="YAML"
          onChange={(e) => onChange?.(e.target.value)}
        />
      )}
      {mode === 'plain' && <p className="muted">The editor could not load: plain text, without completion or schema checks.</p>}
    </div>
  );
}
