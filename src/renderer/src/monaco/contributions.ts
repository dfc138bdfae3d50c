/**
 * The few editor features a read-only YAML view needs, instead of Monaco's
 * full bundle (every language, the TypeScript worker…): YAML colouring,
 * find, folding and copy.
 */
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/editor/contrib/find/browser/findController';
import 'monaco-editor/editor/contrib/folding/browser/folding';
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard';
import 'monaco-editor/editor/contrib/contextmenu/browser/contextmenu';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching';
