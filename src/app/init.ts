/** `coding init [DIR]`: a new study workspace with a commented coding.yaml and a starter codebook. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { slugify } from '../core/documents.js';
import { InputError } from '../errors.js';
import { AtomicBatch, exists } from '../io/atomic.js';
import { configFileName } from '../io/workspace.js';

export interface InitOptions {
  cwd: string;
  dir?: string | undefined;
  name?: string | undefined;
}

export interface InitResult {
  root: string;
  created: string[];
}

export function configTemplate(name: string): string {
  return `# Settings of a content-analysis study made with \`coding\`.
# Paths are relative to this file. Run \`coding --help\` for the commands.
version: 1                       # format version of this file

name: ${name}                    # short name of the study
title: ${JSON.stringify(name)}
# description: what the study is and where its documents come from

codebook: codebooks/codebook.yaml   # the codebook (check it with: coding codebook check)
corpus: corpus                      # where \`coding import\` keeps documents and coding units

segmentation:
  unit: sentence                 # default coding unit: document | paragraph | sentence | line
  language: auto                 # language of documents that do not give theirs (en, es, fr, pt, …), or auto: detected per document
  # abbreviations: [U.S., Mr., Dr.]   # words after which a sentence does not end (replaces the built-in list)

coders:
  primary: coder1                # whose codes count where a unit was coded once
  names: [coder1, coder2]        # annotations/<name>.csv for each coder

reliability:
  overall: auto                  # auto | nominal | pooled: definition of the overall kappa
  bootstrap: 1000                # bootstrap resamples for confidence intervals (0: none)
  seed: 1                        # seed of the bootstrap, for reproducible intervals
  # min_kappa: 0.8               # make \`coding reliability\` exit 1 below this
`;
}

export const starterCodebook = `# A codebook: categories of codes, each with a definition and rules.
# Check it with: coding codebook check
version: 1
name: codebook
title: Starter codebook (replace with your own)
exclusive: false                 # true: exactly one code per unit across the whole codebook
categories:
  - id: topic
    label: Topic
    description: What a unit is about.
    exclusive: false             # true: at most one code of this category per unit
    codes:
      - id: topic.example
        label: Example code
        definition: Replace this with what the code means.
        include: When to use it.
        exclude: When not to use it, and which code to use instead.
        examples:
          - A unit of text that this code fits.
`;

/** Create the workspace. Refuses when coding.yaml exists already. */
export async function initWorkspace(options: InitOptions): Promise<InitResult> {
  const root = path.resolve(options.cwd, options.dir ?? '.');
  const configFile = path.join(root, configFileName);
  if (await exists(configFile)) {
    throw new InputError(
      `${path.relative(options.cwd, configFile) || configFileName} exists already; nothing was changed`,
      {
        hint: 'this folder is a workspace already; edit coding.yaml, or choose another folder.',
      },
    );
  }
  try {
    const stat = await fs.stat(root);
    if (!stat.isDirectory()) throw new InputError(`${options.dir} exists and is not a folder`);
  } catch (error) {
    if (error instanceof InputError) throw error;
  }
  const name = slugify(options.name ?? path.basename(root));
  const created: string[] = [];
  for (const folder of ['codebooks', 'corpus', 'annotations', 'reports']) {
    const full = path.join(root, folder);
    if (!(await exists(full))) {
      await fs.mkdir(full, { recursive: true });
      created.push(`${folder}/`);
    }
  }
  const batch = new AtomicBatch();
  const codebookFile = path.join(root, 'codebooks', 'codebook.yaml');
  if (!(await exists(codebookFile))) {
    batch.add(codebookFile, starterCodebook);
    created.push('codebooks/codebook.yaml');
  }
  batch.add(configFile, configTemplate(name));
  created.push(configFileName);
  await batch.commit();
  return { root, created };
}
