import { useMemo, useRef, useState } from 'react';
import { runbookModelUri } from '../monaco/yamlLanguage';
import { CodeEditor, type CodeEditorHandle, type EditorMarker, type OwnedMarkers } from './CodeEditor';
import { EditorDialog } from './EditorDialog';
import { IssueList } from './IssueList';
import type { RunbookEditorState } from './runbookEditor';
import { draftName, HOST_MARKER_OWNER, issuesFromHost, issuesFromMarkers, severityOf } from './runbookDraft';
import { editorActions } from './store';

const TEMPLATE_OPTION = '__template__';

/**
 * Runbook authoring: choose a runbook (or start from the template), edit it
 * with the schema's completion and checks, see the host parser's problems as
 * you type (undeclared `${param}`s, duplicate ids…), save it into the
 * admin's runbook folder.
 */
export function RunbookEditor({ state }: { state: RunbookEditorState }) {
  const a = editorActions();
  const editor = useRef<CodeEditorHandle>(null);
  // Markers of the document now shown (by its token): another runbook's must not linger in the list.
  const [shown, setShown] = useState<{ token: number; markers: EditorMarker[] } | undefined>(undefined);
  const [name, setName] = useState<string | undefined>(undefined);
  const { doc } = state;

  const hostMarkers = useMemo<OwnedMarkers>(
    () => ({ owner: HOST_MARKER_OWNER, markers: state.hostIssues.map((i) => ({ line: i.line, column: i.column, message: i.message, severity: severityOf(i) })) }),
    [state.hostIssues],
  );
  // Monaco's markers hold both the schema's findings and the host's; without Monaco only the host's exist.
  const markers = shown !== undefined && shown.token === doc?.token ? shown.markers : undefined;
  const issues = markers === undefined ? issuesFromHost(state.hostIssues) : issuesFromMarkers(markers);
  const saveAs = name ?? (doc ? draftName(doc.text) : undefined);
  const picked = doc === undefined ? '' : (doc.listed ?? TEMPLATE_OPTION);

  return (
    <EditorDialog
      title="Runbooks"
      testId="runbook-editor"
      closeTestId="runbook-editor-close"
      onClose={a.closeRunbookEditor}
      actions={
        <>
          <label className="editor-dialog__field">
            <span className="muted">Runbook</span>
            <select
              data-testid="runbook-picker"
              value={picked}
              onChange={(e) => {
                setName(undefined);
                if (e.target.value === TEMPLATE_OPTION) a.newRunbookFromTemplate();
                else if (e.target.value !== '') void a.pickRunbook(e.target.value);
              }}
            >
              <option value="" disabled>
                {state.runbooks === undefined ? 'Loading…' : 'Choose a runbook'}
              </option>
              {(state.runbooks ?? []).map((r) => (
                <option key={r.name} value={r.name}>
                  {r.name} — {r.title}
                </option>
              ))}
              <option value={TEMPLATE_OPTION}>New from template…</option>
            </select>
          </label>
          <button
            type="button"
            data-testid="runbook-save"
            disabled={doc === undefined || state.saving}
            title="Saves the draft into your runbook folder as <metadata.name>.yaml (refused while it has errors)"
            onClick={() => editor.current && void a.saveRunbook(editor.current.getValue())}
          >
            {state.saving ? 'Saving…' : saveAs ? `Save as ${saveAs}.yaml` : 'Save'}
          </button>
        </>
      }
    >
      <div className="editor-dialog__status">
        {doc?.file && (
          <span className="muted" data-testid="runbook-file">
            File: <span className="mono">{doc.file}</span>
          </span>
        )}
        {doc && doc.file === undefined && <span className="muted">A new runbook: it gets a file when saved.</span>}
        {state.saved && (
          <span className="editor-ok" data-testid="runbook-saved" role="status">
            Saved to <span className="mono">{state.saved.file}</span>
          </span>
        )}
        {state.listError && <span className="text-bad">The runbooks could not be listed: {state.listError}</span>}
      </div>
      {state.error && (
        <p className="editor-dialog__error" role="alert" data-testid="runbook-error">
          {state.error}
        </p>
      )}
      {doc === undefined ? (
        <p className="editor-dialog__empty muted">{state.loading ? 'Loading…' : 'Choose a runbook to edit, or start a new one from the template.'}</p>
      ) : (
        <>
          <CodeEditor
            key={doc.name}
            uri={runbookModelUri(doc.name)}
            doc={doc}
            testId="runbook-code"
            handle={editor}
            extraMarkers={hostMarkers}
            onMarkers={(m) => setShown({ token: doc.token, markers: m })}
            onChange={(text) => {
              setName(draftName(text));
              a.runbookDraftChanged(text);
            }}
          />
          <IssueList issues={issues} checking={state.checking} onPick={(i) => editor.current?.goTo(i.line, i.column)} />
        </>
      )}
    </EditorDialog>
  );
}
