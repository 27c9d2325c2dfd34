/**
 * A REFI-QDA project read from its archive (`.qdpx`) or as a bare `project.qde`, and the codebook
 * taken out of either (`coding codebook import FILE.qdpx|project.qde`).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';
import { refuseSpecialFile } from './input-file.js';
import { parseQdc, type QdcImport, type QdcReadOptions, readQdc } from './qdc.js';
import { defaultQdpxLimits, openZip, parseProject, type QdeProject, type ZipArchive } from './qdpx.js';
import { notUtf8Error } from './text.js';

/** UTF-8 without NUL, the BOM dropped; not normalised (positions in the project count its characters). */
function decodeProjectText(bytes: Uint8Array, shownAs: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw notUtf8Error(shownAs, bytes);
  }
  if (text.includes('\u0000')) throw notUtf8Error(shownAs, bytes);
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** The project.qde of an archive (`project.qde` in any case, else the only `.qde` at the root), parsed. */
export async function readProjectFromArchive(archive: ZipArchive, shownAs: string): Promise<QdeProject> {
  const rootQde = archive.entries.filter((entry) => !entry.name.includes('/') && /\.qde$/i.test(entry.name));
  const qdeEntry = archive.byLowerName.get('project.qde') ?? (rootQde.length === 1 ? rootQde[0] : undefined);
  if (qdeEntry === undefined) {
    throw new InputError('this ZIP archive is not a REFI-QDA project: it holds no project.qde', {
      location: { file: shownAs },
      hint: 'export the project from the QDA program as a REFI-QDA project (.qdpx); a project archive holds project.qde and a Sources folder.',
    });
  }
  const qdeShownAs = `${shownAs}:${qdeEntry.name}`;
  return parseProject(decodeProjectText(await archive.read(qdeEntry), qdeShownAs), qdeShownAs);
}

/** A bare `project.qde` (an unpacked project), refused by size before it is read. */
async function readProjectFile(file: string, shownAs: string): Promise<QdeProject> {
  let stat: Awaited<ReturnType<typeof fs.stat>>;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new InputError('the file does not exist', {
      location: { file: shownAs },
      hint: 'check the path of the .qde file.',
    });
  }
  if (stat.isDirectory())
    throw new InputError('this is a folder, not a .qde file', { location: { file: shownAs } });
  refuseSpecialFile(stat, shownAs);
  if (stat.size > defaultQdpxLimits.entryBytes)
    throw new InputError(`the file is over ${defaultQdpxLimits.entryBytes / 1048576} MiB; refused`, {
      location: { file: shownAs },
      hint: 'a project.qde is far smaller; check that this is the file you meant.',
    });
  return parseProject(decodeProjectText(await fs.readFile(file), shownAs), shownAs);
}

/**
 * The codebook of a `.qdc` file, or of a project (`.qdpx` archive or bare `.qde`): its `<CodeBook>`
 * and its sets of codes, read as a `.qdc` is. The project's own warnings come first.
 * @throws InputError for a project without a codebook, and whatever reading the file refuses
 */
export async function readCodebookOf(
  file: string,
  shownAs: string,
  options: QdcReadOptions,
): Promise<QdcImport> {
  const extension = path.extname(file).toLowerCase();
  if (extension !== '.qdpx' && extension !== '.qde') return readQdc(file, shownAs, options);
  let project: QdeProject;
  if (extension === '.qdpx') {
    const archive = await openZip(file, shownAs, defaultQdpxLimits);
    try {
      project = await readProjectFromArchive(archive, shownAs);
    } finally {
      await archive.close();
    }
  } else project = await readProjectFile(file, shownAs);
  if (project.codebookQdc === undefined)
    throw new InputError('this REFI-QDA project has no codebook (<CodeBook>); nothing to import', {
      location: { file: shownAs },
      hint: 'export the project again with its codes, or import its codebook alone (.qdc).',
    });
  const imported = parseQdc(project.codebookQdc, shownAs, options);
  return {
    ...imported,
    origin: project.origin ?? imported.origin,
    warnings: [...project.warnings, ...imported.warnings],
  };
}
