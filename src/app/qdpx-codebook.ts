/** The codebook of an imported project: where it is written, whether coding.yaml switches to it. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { isScalar, parseDocument } from 'yaml';
import { buildCodebookModel, type CodebookModel } from '../core/codebook.js';
import { checkCodebookRules } from '../core/codebook-check.js';
import { type Finding, InputError } from '../errors.js';
import { exists, writeFileAtomic } from '../io/atomic.js';
import { readCodebook } from '../io/codebook.js';
import { parseQdc, slugifyName } from '../io/qdc.js';
import type { QdeProject } from '../io/qdpx.js';
import type { Workspace } from '../io/workspace.js';
import { toolVersion } from '../version.js';
import { codebookYamlText } from './codebook.js';
import type { CodeGuids } from './qdpx-codings.js';
import type { ImportQdpxOptions } from './qdpx-types.js';
import { codersWithAnnotationsIn, relativeTo } from './study.js';

export interface CodebookPlan {
  /** Path relative to the workspace root, with "/". */
  file: string;
  text: string;
  model: CodebookModel;
  guids: Map<string, string>;
  write: boolean;
  switch: boolean;
  warnings: Finding[];
}

export async function planCodebook(
  project: QdeProject,
  workspace: Workspace,
  shownAs: string,
  options: ImportQdpxOptions,
): Promise<CodebookPlan> {
  const name = slugifyName(project.name, 'project');
  const imported = parseQdc(project.codebookQdc!, `${shownAs}:project.qde`, { name });
  const ruleErrors = checkCodebookRules(imported.codebook).filter((finding) => finding.severity === 'error');
  if (ruleErrors.length > 0)
    throw new Error(
      `the imported codebook breaks a rule: ${ruleErrors.map((finding) => finding.message).join('; ')}`,
    );
  const model = buildCodebookModel(imported.codebook);
  const header = [
    `Codebook imported by coding ${toolVersion} from ${path.basename(shownAs)}` +
      (project.origin === undefined ? '' : ` (written by ${project.origin.replace(/\s+/g, ' ')})`) +
      '.',
    'Check it with: coding codebook check FILE',
  ];
  const text = codebookYamlText(imported.codebook, imported.writtenByUs ? [] : header);
  const guids = new Map<string, string>();
  for (const [id, guid] of imported.guids) guids.set(guid, id);
  const byGuid = new Map([...guids].map(([guid, id]) => [id, guid]));
  const current = await readCodebook(
    workspace.paths.codebook,
    relativeTo(workspace, workspace.paths.codebook),
  ).catch(() => undefined);
  const plan = (file: string, write: boolean, switching: boolean): CodebookPlan => ({
    file,
    text,
    model,
    guids: byGuid,
    write,
    switch: switching,
    warnings: imported.warnings,
  });
  let chosen: CodebookPlan | undefined;
  if (current !== undefined && current.model.hash === model.hash)
    chosen = plan(relativeTo(workspace, workspace.paths.codebook), false, false);
  for (let counter = 1; chosen === undefined; counter++) {
    const file = `codebooks/${imported.codebook.name === name ? name : slugifyName(imported.codebook.name, name)}${counter === 1 ? '' : `-${counter}`}.yaml`;
    const absolute = path.join(workspace.root, file);
    if (!(await exists(absolute))) {
      chosen = plan(file, true, true);
      break;
    }
    const other = await readCodebook(absolute, file).catch(() => undefined);
    if (other !== undefined && other.model.hash === model.hash)
      chosen = plan(file, false, path.resolve(absolute) !== path.resolve(workspace.paths.codebook));
  }
  if (chosen.switch && options.switchCodebook !== true) {
    const coders = await codersWithAnnotationsIn(workspace);
    if (coders.length > 0) {
      throw new InputError(
        `nothing imported: the project's codebook is not the workspace's (${relativeTo(workspace, workspace.paths.codebook)}), and the workspace has annotations made with that one (${coders.join(', ')})`,
        {
          location: { file: shownAs },
          hint: `to import anyway, pass --switch-codebook: ${chosen.file} becomes the codebook in coding.yaml (the stored annotations are checked against it first); or import the project into a new workspace (coding init DIR).`,
        },
      );
    }
  }
  return chosen;
}

/** Point coding.yaml's `codebook:` at `file`, keeping its comments and layout. */
export async function switchCodebook(workspace: Workspace, file: string): Promise<void> {
  const text = await fs.readFile(workspace.configFile, 'utf8');
  const document = parseDocument(text);
  const node = document.get('codebook', true);
  const value = /^[A-Za-z0-9_./-]+$/.test(file) ? file : JSON.stringify(file);
  if (isScalar(node) && node.range) {
    // Replace the value's characters only: every comment, blank line and alignment stays as it was.
    const [start, end] = node.range;
    await writeFileAtomic(workspace.configFile, `${text.slice(0, start)}${value}${text.slice(end)}`);
    return;
  }
  document.set('codebook', file);
  await writeFileAtomic(workspace.configFile, document.toString());
}

/** The codebook codings are read against (the project's, else the workspace's), and its GUIDs. */
export async function codebookAndGuids(
  plan: CodebookPlan | undefined,
  workspace: Workspace,
): Promise<{ model: CodebookModel | undefined; guids: CodeGuids }> {
  const model =
    plan?.model ??
    (
      await readCodebook(workspace.paths.codebook, relativeTo(workspace, workspace.paths.codebook)).catch(
        () => undefined,
      )
    )?.model;
  const guids: CodeGuids = { codeByGuid: new Map(), categoryGuids: new Map() };
  if (plan !== undefined && model !== undefined) {
    for (const [id, guid] of plan.guids) {
      const code = model.codeById.get(id);
      if (code !== undefined) guids.codeByGuid.set(guid, code.index);
      else guids.categoryGuids.set(guid, id);
    }
  }
  return { model, guids };
}
