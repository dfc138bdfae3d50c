/**
 * The resource YAML editor's state and actions, as `kubectl edit` with two
 * guards: the server's dry run first (the admin reviews its answer, defaults
 * and admission included, against the object as read), and the
 * resourceVersion read with the YAML, so an apply never overwrites a change
 * someone made meanwhile. The draft itself lives in Monaco.
 */
import { errorCode, errorText, type EditorDeps, type Slice } from './deps';

/** The kinds `resources.yaml` / `resources.apply` serve. */
export const EDITABLE_KINDS = ['Node', 'Namespace', 'Pod', 'ConfigMap', 'Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'PodDisruptionBudget'] as const;

/** Whether the YAML editor can open this kind. */
export function isEditableKind(kind: string | undefined): kind is string {
  return kind !== undefined && (EDITABLE_KINDS as readonly string[]).includes(kind);
}

/** An object to edit at one site. */
export interface YamlEditTarget {
  site: string;
  kind: string;
  /** Absent for cluster-scoped kinds (Node, Namespace). */
  namespace?: string;
  name: string;
}

export type YamlEditPhase =
  /** Reading the object. */
  | 'loading'
  /** The draft is in the editor. */
  | 'editing'
  /** The dry run is on its way. */
  | 'reviewing'
  /** The diff against the server's answer is shown; Apply is possible. */
  | 'review'
  | 'applying'
  /** Applied: the editor shows the object as it is now. */
  | 'applied';

export interface YamlEditorState {
  target: YamlEditTarget;
  phase: YamlEditPhase;
  /** The object as last read, what the diff compares against; its resourceVersion guards the apply. */
  current?: { yaml: string; resourceVersion: string };
  /** The editor's text; `token` changes whenever a read replaces the editor's content. */
  doc?: { text: string; token: number };
  /** The draft the server checked, and what it would store. */
  review?: { draft: string; answer: string };
  /** The resourceVersion the last apply produced. */
  appliedVersion?: string;
  /** The host's refusal: a conflict, bad YAML, a read-only console ('forbidden'). */
  error?: { code?: string; message: string };
}

export interface YamlEditorActions {
  /** Opens the editor on an object (reading its YAML). */
  openYamlEditor(target: YamlEditTarget): Promise<void>;
  closeYamlEditor(): void;
  /** Reads the object again, replacing the draft (after a conflict). */
  reloadYaml(): Promise<void>;
  /** Sends the draft to the server's dry run; its answer is shown as a diff. */
  reviewYaml(draft: string): Promise<void>;
  /** Leaves the diff for the editor (the draft is kept). */
  backToEdit(): void;
  /** Applies the reviewed draft, then shows the object as it is now. */
  applyYaml(): Promise<void>;
}

/** `kind namespace/name at site`, as headers and messages say it. */
export function describeTarget(t: YamlEditTarget): string {
  return `${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`;
}

function ref(t: YamlEditTarget): { kind: string; namespace?: string; name: string } {
  return t.namespace === undefined ? { kind: t.kind, name: t.name } : { kind: t.kind, namespace: t.namespace, name: t.name };
}

const sameTarget = (a: YamlEditTarget, b: YamlEditTarget): boolean => a.site === b.site && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;

/** The YAML editor's actions over the editors' store. */
export function yamlEditorActions({ get, set }: Slice<YamlEditorState>, deps: EditorDeps): YamlEditorActions {
  let token = 0;

  /** Applies `p` if the editor still shows `target` (a late answer for a closed or replaced editor is dropped). */
  const patchFor = (target: YamlEditTarget, p: Partial<YamlEditorState>): void => {
    const cur = get();
    if (cur && sameTarget(cur.target, target)) set({ ...cur, ...p });
  };

  /** Reads the object into the editor; `applied` marks it as the state an apply just produced. */
  async function read(target: YamlEditTarget, applied = false): Promise<void> {
    try {
      const current = await (await deps.client()).api.resources.yaml(target.site, ref(target));
      patchFor(target, {
        phase: applied ? 'applied' : 'editing',
        current,
        doc: { text: current.yaml, token: ++token },
        review: undefined,
        error: undefined,
        appliedVersion: applied ? current.resourceVersion : undefined,
      });
    } catch (e) {
      const message = applied ? `Applied, but the object could not be read back: ${errorText(e)}` : errorText(e);
      patchFor(target, { phase: get()?.current ? 'editing' : 'loading', review: undefined, error: { code: errorCode(e), message } });
    }
  }

  return {
    async openYamlEditor(target) {
      set({ target, phase: 'loading' });
      await read(target);
    },
    closeYamlEditor() {
      set(undefined);
    },
    async reloadYaml() {
      const cur = get();
      if (cur === undefined) return;
      patchFor(cur.target, { error: undefined });
      await read(cur.target);
    },
    async reviewYaml(draft) {
      const cur = get();
      if (cur?.current === undefined) return;
      const { target, current } = cur;
      patchFor(target, { phase: 'reviewing', error: undefined });
      try {
        const { yaml } = await (await deps.client()).api.resources.apply(target.site, ref(target), draft, { dryRun: true, resourceVersion: current.resourceVersion });
        patchFor(target, { phase: 'review', review: { draft, answer: yaml } });
      } catch (e) {
        patchFor(target, { phase: 'editing', error: { code: errorCode(e), message: errorText(e) } });
      }
    },
    backToEdit() {
      const cur = get();
      if (cur) set({ ...cur, phase: 'editing', review: undefined });
    },
    async applyYaml() {
      const cur = get();
      if (cur?.review === undefined || cur.current === undefined) return;
      const { target, current, review } = cur;
      patchFor(target, { phase: 'applying', error: undefined });
      try {
        await (await deps.client()).api.resources.apply(target.site, ref(target), review.draft, { dryRun: false, resourceVersion: current.resourceVersion });
      } catch (e) {
        patchFor(target, { phase: 'review', error: { code: errorCode(e), message: errorText(e) } });
        return;
      }
      // Read back rather than trust the answer alone: the next edit needs the new resourceVersion, and the
      // controllers may already have moved the object on.
      await read(target, true);
    },
  };
}
