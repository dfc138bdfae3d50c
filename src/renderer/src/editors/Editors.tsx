import './editors.css';
import { ResourceYamlEditor } from './ResourceYamlEditor';
import { RunbookEditor } from './RunbookEditor';
import { editorActions, useEditors } from './store';
import type { YamlEditTarget } from './yamlEditor';

export { isEditableKind } from './yamlEditor';

/** The open editors (each a modal dialog); rendered once by App. */
export function Editors() {
  const runbook = useEditors((s) => s.runbook);
  const yaml = useEditors((s) => s.yaml);
  return (
    <>
      {runbook && <RunbookEditor state={runbook} />}
      {yaml && <ResourceYamlEditor state={yaml} />}
    </>
  );
}

/** The top bar's entry to runbook authoring. */
export function RunbookEditorButton() {
  return (
    <button type="button" data-testid="runbook-editor-open" title="Write and check runbooks" onClick={() => void editorActions().openRunbookEditor()}>
      Edit runbooks…
    </button>
  );
}

/** A detail panel's "Edit YAML": opens the object in the YAML editor. */
export function EditYamlButton({ target, className = 'small' }: { target: YamlEditTarget; className?: string }) {
  return (
    <button
      type="button"
      className={className}
      data-testid="edit-yaml"
      title="Edit the object's YAML; the server's dry run is reviewed before anything is applied"
      onClick={() => void editorActions().openYamlEditor(target)}
    >
      Edit YAML
    </button>
  );
}
