/**
 * The YAML language service's worker (schema validation, completion, hover),
 * built by Vite as a file of its own so that it loads from the app's origin
 * under the CSP. A local entry rather than monaco-yaml's file directly: Vite
 * bundles a worker only from a `new URL` it can see in our sources.
 */
import 'monaco-yaml/yaml.worker.js';
