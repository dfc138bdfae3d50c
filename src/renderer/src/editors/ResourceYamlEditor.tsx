import { useRef } from 'react';
import { useApp } from '../store/store';
import { CodeEditor, type CodeEditorHandle } from './CodeEditor';
import { DiffView } from './DiffView';
import { EditorDialog } from './EditorDialog';
import { editorActions } from './store';
import { describeTarget, type YamlEditorState } from './yamlEditor';

/** The model URI of an object's draft (no schema matches it: monaco-yaml checks the YAML syntax only). */
function resourceUri(s: YamlEditorState['target']): string {
  return `file:///triptych/resources/${[s.site, s.kind, s.namespace ?? '_', s.name].map(encodeURIComponent).join('/')}.yaml`;
}

const BUSY: ReadonlySet<YamlEditorState['phase']> = new Set(['loading', 'reviewing', 'applying']);

/**
 * An object's YAML edited as `kubectl edit` does, with the server's dry run
 * reviewed as a diff before Apply. The site's name and colour frame the
 * dialog: an edit goes to one site, and it must be obvious which.
 */
export function ResourceYamlEditor({ state }: { state: YamlEditorState }) {
  const a = editorActions();
  const editor = useRef<CodeEditorHandle>(null);
  const { target, phase, doc, review, error } = state;
  const site = useApp((s) => s.sites.find((x) => x.id === target.site));
  const siteName = site?.name ?? target.site;
  const reviewing = review !== undefined && (phase === 'review' || phase === 'applying');
  const busy = BUSY.has(phase);

  return (
    <EditorDialog
      title={
        <>
          <span className="editor-site" data-testid="yaml-site" data-site={target.site}>
            <span className="editor-site__dot" aria-hidden="true" />
            {siteName}
          </span>{' '}
          {describeTarget(target)}
        </>
      }
      testId="yaml-editor"
      closeTestId="yaml-editor-close"
      accent={site?.color}
      onClose={a.closeYamlEditor}
      actions={
        <>
          {reviewing ? (
            <button type="button" data-testid="yaml-back" disabled={busy} onClick={a.backToEdit}>
              Back to editing
            </button>
          ) : (
            <button
              type="button"
              data-testid="yaml-dry-run"
              disabled={busy || doc === undefined}
              title="The server checks the edit (dry run: nothing changes) and answers with what it would store"
              onClick={() => editor.current && void a.reviewYaml(editor.current.getValue())}
            >
              {phase === 'reviewing' ? 'Checking…' : 'Review changes'}
            </button>
          )}
          <button
            type="button"
            className="primary"
            data-testid="yaml-apply"
            disabled={!reviewing || busy}
            title={reviewing ? `Replace the object at ${siteName} with the reviewed YAML` : 'Review the changes first'}
            onClick={() => void a.applyYaml()}
          >
            {phase === 'applying' ? 'Applying…' : `Apply at ${siteName}`}
          </button>
          <button type="button" data-testid="yaml-reload" disabled={busy} title="Read the object again (your edits are dropped)" onClick={() => void a.reloadYaml()}>
            Reload
          </button>
        </>
      }
    >
      <div className="editor-dialog__status" data-testid="yaml-status" data-phase={phase}>
        {phase === 'loading' && !error && <span className="muted">Reading {describeTarget(target)}…</span>}
        {state.current && <span className="muted">Read at resourceVersion {state.current.resourceVersion}.</span>}
        {reviewing && <span>Left: the object now. Right: what the server would store (its dry run; nothing has changed yet).</span>}
        {phase === 'applied' && (
          <span className="editor-ok" role="status" data-testid="yaml-applied">
            Applied at {siteName}; the editor shows the object as it is now (resourceVersion {state.appliedVersion}).
          </span>
        )}
      </div>
      {error && (
        <p className="editor-dialog__error" role="alert" data-testid="yaml-error" data-code={error.code}>
          {error.code === 'forbidden' ? `This console cannot change the clusters: ${error.message}` : error.message}
        </p>
      )}
      {doc && (
        <div className="yaml-edit__body" hidden={reviewing}>
          <CodeEditor key={resourceUri(target)} uri={resourceUri(target)} doc={doc} handle={editor} testId="yaml-code" readOnly={busy} suggest={false} />
        </div>
      )}
      {reviewing && state.current && <DiffView original={state.current.yaml} modified={review.answer} testId="yaml-diff" />}
    </EditorDialog>
  );
}
