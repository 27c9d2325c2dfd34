import { packKey } from '../core/codings.js';
import { isIsoDate } from '../core/dates.js';
import type { Finding } from '../errors.js';
import { corpusPaths, loadCorpus } from '../io/corpus-store.js';
import { codebookToQdc, guidNamespace, qdcGuid, uuidV5 } from '../io/qdc.js';
import { type ProjectXml, projectToQde, zipProject } from '../io/qdpx.js';
import { type DocumentRecord, standardFields } from '../schema/corpus.js';
import { toolVersion } from '../version.js';
import { type CoderAnnotations, codersWithAnnotations, loadCoder, openStudy } from './study.js';

export interface ExportQdpxOptions {
  cwd: string;
  workspace?: string | undefined;
}

export interface ExportQdpxResult {
  bytes: Uint8Array;
  documents: number;
  coders: string[];
  selections: number;
  codings: number;
  warnings: Finding[];
}

/** GUIDs of what this tool exports: UUID v5 of a kind and a key, in the namespace of the codebook GUIDs. */
export function exportGuid(
  kind: 'user' | 'document' | 'variable' | 'selection' | 'coding' | 'note' | 'document-set',
  key: string,
): string {
  return uuidV5(`${kind}:${key}`, guidNamespace);
}

const fullDate = /^\d{4}-\d{2}-\d{2}$/;

/** The study as a REFI-QDA project (`.qdpx` bytes). Same study → same bytes. */
export async function exportQdpx(options: ExportQdpxOptions): Promise<ExportQdpxResult> {
  const study = await openStudy(options);
  const corpus = await loadCorpus(corpusPaths(study.workspace.paths.corpus));
  const coders = await codersWithAnnotations(study);
  const warnings: Finding[] = [];
  const loaded: CoderAnnotations[] = [];
  for (const coder of coders) {
    const annotations = (await loadCoder(study, coder))!;
    warnings.push(...annotations.warnings);
    loaded.push(annotations);
  }
  const metadataOf = (document: DocumentRecord): Array<[string, string]> => {
    const entries: Array<[string, string]> = [];
    for (const field of standardFields) {
      const value = document[field];
      if (value !== undefined) entries.push([field, value]);
    }
    // The attribute `sets` is written as <Sets> of documents, not as a variable.
    for (const key of Object.keys(document.attributes).sort())
      if (key !== 'sets') entries.push([key, document.attributes[key]!]);
    return entries;
  };
  const keys = new Map<string, boolean>();
  for (const document of corpus.documents)
    for (const [key, value] of metadataOf(document))
      keys.set(key, (keys.get(key) ?? true) && fullDate.test(value) && isIsoDate(value));
  const variableKeys = [
    ...standardFields.filter((field) => keys.has(field)),
    ...[...keys.keys()].filter((key) => !(standardFields as readonly string[]).includes(key)).sort(),
  ];
  const variables = variableKeys.map((key) => ({
    guid: exportGuid('variable', key),
    name: key,
    type: (keys.get(key) && (key === 'date' || key === 'accessed') ? 'Date' : 'Text') as 'Text' | 'Date',
  }));
  const variableByKey = new Map(variables.map((variable) => [variable.name, variable]));
  const userGuid = new Map(coders.map((coder) => [coder, exportGuid('user', coder)]));
  const notes: ProjectXml['notes'] = [];
  const files = new Map<string, Uint8Array>();
  let selectionCount = 0;
  let codingCount = 0;
  const sources: ProjectXml['sources'] = corpus.documents.map((document) => {
    const guid = exportGuid('document', document.id);
    files.set(`Sources/${guid}.txt`, Buffer.from(document.text, 'utf8'));
    const selections: ProjectXml['sources'][number]['selections'] = [];
    for (const unit of corpus.unitsByDocument.get(document.id) ?? []) {
      const unitIndex = study.units.indexOf(unit.id);
      for (const annotations of loaded) {
        const codes = annotations.codings.codesOf(unitIndex);
        if (codes === undefined) continue;
        const coder = annotations.coder;
        const note = (code: number): string | undefined => {
          const memo = annotations.memos.get(packKey(unitIndex, code));
          if (memo === undefined || memo === '') return undefined;
          const noteGuid = exportGuid(
            'note',
            `${coder}:${unit.id}:${code < 0 ? '' : study.codebook.codes[code]!.id}`,
          );
          notes.push({ guid: noteGuid, name: `memo of ${coder} on ${unit.id}`, text: memo });
          return noteGuid;
        };
        const codings = [...codes].map((code) => {
          const codeId = study.codebook.codes[code]!.id;
          const noteGuid = note(code);
          return {
            guid: exportGuid('coding', `${coder}:${unit.id}:${codeId}`),
            codeGuid: qdcGuid(codeId),
            creatingUser: userGuid.get(coder)!,
            ...(noteGuid === undefined ? {} : { noteGuid }),
          };
        });
        const selectionNote = codes.length === 0 ? note(-1) : undefined;
        selections.push({
          guid: exportGuid('selection', `${coder}:${unit.id}`),
          name: unit.id,
          start: unit.start,
          end: unit.end,
          creatingUser: userGuid.get(coder)!,
          codings,
          ...(selectionNote === undefined ? {} : { noteGuid: selectionNote }),
        });
        selectionCount++;
        codingCount += codings.length;
      }
    }
    return {
      guid,
      name: document.id,
      plainTextPath: `internal://${guid}.txt`,
      selections,
      values: metadataOf(document).map(([key, value]) => ({
        variableGuid: variableByKey.get(key)!.guid,
        type: variableByKey.get(key)!.type,
        value,
      })),
    };
  });
  const units: Record<string, string> = {};
  for (const document of corpus.documents) units[exportGuid('document', document.id)] = document.unit;
  const qde = projectToQde({
    name: study.workspace.config.name,
    origin: `coding ${toolVersion}`,
    marker: { tool: `coding ${toolVersion}`, reviewed: 'selections', units },
    users: coders.map((coder) => ({ guid: userGuid.get(coder)!, name: coder, id: coder })),
    codebookQdc: codebookToQdc(study.codebook.codebook, `coding ${toolVersion}`),
    variables,
    sources,
    notes,
    documentSets: documentSetsOf(corpus.documents),
  });
  files.set('project.qde', Buffer.from(qde, 'utf8'));
  return {
    bytes: zipProject(files),
    documents: corpus.documents.length,
    coders,
    selections: selectionCount,
    codings: codingCount,
    warnings,
  };
}

/** The documents' `sets` attribute (set names, `; `-separated) as sets of documents, sorted by name. */
function documentSetsOf(documents: readonly DocumentRecord[]): ProjectXml['documentSets'] {
  const members = new Map<string, string[]>();
  for (const document of documents) {
    const value = document.attributes['sets'];
    if (value === undefined) continue;
    for (const name of value.split('; ').map((part) => part.trim())) {
      if (name === '') continue;
      members.set(name, [...(members.get(name) ?? []), exportGuid('document', document.id)]);
    }
  }
  return [...members.keys()]
    .sort()
    .map((name) => ({ guid: exportGuid('document-set', name), name, sourceGuids: members.get(name)! }));
}
