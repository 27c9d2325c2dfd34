#!/usr/bin/env node
// Writes schemas/codebook.schema.json from the zod schema in src/schema/codebook.ts (built into
// dist/ first by `npm run schemas`). The test test/unit/codebook-schema.test.ts fails when the
// committed file and the schema drift apart.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (file) => import(path.join(root, 'dist', file));
const { codebookJsonSchemaFile, codebookJsonSchemaText } = await dist('schema/codebook.js');
const { writeFileAtomic } = await dist('io/atomic.js');
await writeFileAtomic(path.join(root, codebookJsonSchemaFile), codebookJsonSchemaText());
process.stderr.write(`wrote ${codebookJsonSchemaFile}\n`);
