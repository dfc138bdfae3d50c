/**
 * What editing adds to the read-only set in ./contributions: the suggest
 * widget and snippets (schema completion), hovers (schema descriptions and
 * marker messages), F8 through the problems, comment toggling, and the diff
 * editor's navigation.
 */
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/editor/contrib/snippet/browser/snippetController2';
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution';
import 'monaco-editor/editor/contrib/gotoError/browser/gotoError';
import 'monaco-editor/editor/contrib/comment/browser/comment';
import 'monaco-editor/editor/contrib/indentation/browser/indentation';
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations';
import 'monaco-editor/editor/browser/widget/diffEditor/diffEditor.contribution';
