/** Reading a codebook file: YAML, validated against the schema, with located errors. */
import fs from 'node:fs/promises';
import { buildCodebookModel, type CodebookModel } from '../core/codebook.js';
import { InputError } from '../errors.js';
import { type Codebook, codebookSchema } from '../schema/codebook.js';
import { refuseSpecialFile } from './input-file.js';
import { decodeText } from './text.js';
import { loadYaml, maxYamlBytes, type ParsedYaml } from './yaml.js';

export interface LoadedCodebook {
  file: string;
  text: string;
  codebook: Codebook;
  model: CodebookModel;
  parsed: ParsedYaml;
}

/**
 * Read and validate a codebook (structure only; `checkCodebook` adds the rules).
 * @throws InputError for a missing, oversized, non-YAML or invalid file
 */
export async function readCodebook(file: string, shownAs: string = file): Promise<LoadedCodebook> {
  let stat: Awaited<ReturnType<typeof fs.stat>>;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new InputError('the codebook file does not exist', {
      location: { file: shownAs },
      hint: 'check the path, or the `codebook:` entry of coding.yaml.',
    });
  }
  refuseSpecialFile(stat, shownAs);
  if (stat.size > maxYamlBytes) {
    throw new InputError(
      `the file is ${(stat.size / 1048576).toFixed(1)} MiB; codebooks over 5 MiB are refused`,
      {
        location: { file: shownAs },
        hint: 'a codebook is a few hundred KiB at most; check that this is the file you meant.',
      },
    );
  }
  const text = decodeText(await fs.readFile(file), shownAs);
  const version = /^version:\s*(\S+)/m.exec(text)?.[1];
  if (version !== undefined && version !== '1') {
    throw new InputError(`unknown codebook format version: expected 1, received ${version}`, {
      location: { file: shownAs },
      hint: 'this codebook was written for another version of coding.',
    });
  }
  const { value, parsed } = loadYaml(text, shownAs, codebookSchema);
  return { file: shownAs, text, codebook: value, model: buildCodebookModel(value), parsed };
}
