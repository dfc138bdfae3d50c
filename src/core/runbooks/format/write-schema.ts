/**
 * Regenerates resources/runbooks/runbook.schema.json from the zod schemas:
 *
 *   ./node_modules/.bin/node --import tsx src/core/runbooks/format/write-schema.ts
 *
 * schema.test.ts fails while the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runbookJsonSchemaText } from './schema';

const target = fileURLToPath(new URL('../../../../resources/runbooks/runbook.schema.json', import.meta.url));
writeFileSync(target, runbookJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
