/**
 * The texts of a project's sources and notes: `PlainTextContent`, or `plainTextPath` inside the
 * archive (`internal://`, `Sources/` in any case) or beside it (`relative://`, under the project's
 * `basePath` or `--base-path`). A text that cannot be found is a problem listed by name; the import
 * decides later whether what remains is enough.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Finding, InputError } from '../errors.js';
import {
  defaultQdpxLimits,
  type QdeProject,
  type QdeText,
  unsafeEntryName,
  type ZipArchive,
} from '../io/qdpx.js';
import { notUtf8Error } from '../io/text.js';
import type { ImportContext, ImportQdpxOptions } from './qdpx-types.js';

/**
 * A source's text: UTF-8 without NUL, the rule of `coding import FILE.txt` (`decodeText`). A BOM is
 * kept (positions do not count it, and an export writes it back).
 */
export function decodeUtf8(bytes: Uint8Array, shownAs: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw notUtf8Error(shownAs, bytes);
  }
  if (text.includes('\u0000')) throw notUtf8Error(shownAs, bytes);
  return text;
}

/** The folder `relative://` sources are read from: `--base-path`, else the project's basePath if it exists here, else the .qdpx's folder. */
export async function resolveBaseFolder(
  options: ImportQdpxOptions,
  project: QdeProject,
  input: string,
): Promise<string> {
  if (options.basePath !== undefined) return path.resolve(options.cwd, options.basePath);
  if (project.basePath !== undefined && project.basePath.trim() !== '') {
    const candidate = path.resolve(path.dirname(input), project.basePath.replace(/^file:\/\//, ''));
    try {
      if ((await fs.stat(candidate)).isDirectory()) return candidate;
    } catch {
      // The exporting machine's folder: not here.
    }
  }
  return path.dirname(input);
}

/** Reads the text of a source or note; a text that cannot be read is added to `problems` and gives undefined. */
export type TextReader = (source: QdeText) => Promise<string | undefined>;

export function textReader(
  context: ImportContext,
  archive: ZipArchive,
  baseFolder: string,
  problems: Finding[],
): TextReader {
  const { shownAs, warn } = context;
  return async (source) => {
    const problem = (message: string, hint?: string): undefined => {
      problems.push({
        code: 'QDPX_SOURCE',
        severity: 'error',
        file: shownAs,
        path: source.where,
        message: hint ? `${message}; ${hint}` : message,
      });
      return undefined;
    };
    const label = `${source.name === undefined ? '' : `"${source.name}" `}(${source.guid})`;
    if (
      source.plainTextContent !== undefined &&
      (source.plainTextContent !== '' || source.plainTextPath === undefined)
    ) {
      if (source.plainTextPath !== undefined)
        warn(
          'QDPX_TWO_TEXTS',
          `source ${label} has both PlainTextContent and plainTextPath; PlainTextContent is used`,
          source.where,
        );
      return source.plainTextContent;
    }
    const reference = source.plainTextPath;
    if (reference === undefined)
      return problem(`source ${label} has neither PlainTextContent nor plainTextPath: its text is missing`);
    const scheme = /^([a-z]+):\/\//i.exec(reference)?.[1]?.toLowerCase();
    const rest = scheme === undefined ? reference : reference.slice(scheme.length + 3);
    if (scheme === 'internal' || scheme === undefined) {
      const found = await readInternal(context, archive, {
        label,
        reference,
        scheme,
        rest,
        where: source.where,
      });
      if (found !== undefined) return found;
      if (scheme === 'internal')
        return problem(
          `the text of source ${label}, ${reference}, is not in the archive (expected Sources/${rest.replace(/\\/g, '/').replace(/^\/+/, '')})`,
          'export the project again with its sources',
        );
    }
    if (scheme === 'relative' || scheme === undefined)
      return readRelative(context, baseFolder, { label, reference, rest }, problem);
    return problem(
      `source ${label} has its text at ${reference}; ${scheme}:// paths are not followed`,
      'export the project again with the sources inside the archive',
    );
  };
}

interface Reference {
  label: string;
  reference: string;
  scheme: string | undefined;
  rest: string;
  where: string;
}

/** The text of an `internal://` path (or a bare name) from the archive; undefined when it is not there. */
async function readInternal(
  context: ImportContext,
  archive: ZipArchive,
  { label, reference, scheme, rest, where }: Reference,
): Promise<string | undefined> {
  const name = rest.replace(/\\/g, '/').replace(/^\/+/, '');
  const unsafe = unsafeEntryName(rest.replace(/\\/g, '/'));
  if (unsafe !== undefined)
    throw new InputError(
      `source ${label} names a file whose path has ${unsafe}: "${reference}"; nothing was imported`,
      {
        location: { file: context.shownAs, path: where },
        hint: 'QDA programs never write such paths; the project is damaged or crafted.',
      },
    );
  const entry =
    archive.byLowerName.get(`sources/${name}`.toLowerCase()) ??
    (scheme === undefined ? archive.byLowerName.get(name.toLowerCase()) : undefined);
  if (entry === undefined) return undefined;
  if (scheme === undefined)
    context.warn(
      'QDPX_PATH_SCHEME',
      `source ${label} has plainTextPath="${reference}" without internal:// (not conforming); read from ${entry.name}`,
      where,
    );
  return decodeUtf8(await archive.read(entry), `${context.shownAs}:${entry.name}`);
}

/** The text of a `relative://` path under the base folder. */
async function readRelative(
  context: ImportContext,
  baseFolder: string,
  { label, reference, rest }: Pick<Reference, 'label' | 'reference' | 'rest'>,
  problem: (message: string, hint?: string) => undefined,
): Promise<string | undefined> {
  const limits = context.options.limits ?? defaultQdpxLimits;
  const relative = rest.replace(/\\/g, '/').replace(/^\/+/, '');
  if (unsafeEntryName(relative) !== undefined)
    return problem(`source ${label} names ${reference}, which climbs out of the base folder; not followed`);
  const file = path.resolve(baseFolder, relative);
  let stat: Awaited<ReturnType<typeof fs.stat>>;
  try {
    stat = await fs.stat(file);
  } catch {
    return problem(
      `the text of source ${label}, ${reference}, is neither in the archive nor at ${file}`,
      'put the file there, or pass --base-path DIR with the folder that holds it',
    );
  }
  if (stat.size > limits.entryBytes)
    return problem(`the text of source ${label} at ${file} is over ${limits.entryBytes} bytes; refused`);
  return decodeUtf8(await fs.readFile(file), file);
}
