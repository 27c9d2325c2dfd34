/**
 * Writing `project.qde`: valid against Project.xsd, two-space indented, deterministic.
 */
import { qdaProjectNamespace } from './qdc.js';
import { codebookCommentPrefix, markerPrefix, type ProjectMarker } from './qdpx.js';
import { escapeAttribute, escapeText, xmlSafe } from './xml.js';

export interface ProjectXml {
  name: string;
  origin: string;
  marker: ProjectMarker;
  users: Array<{ guid: string; name?: string; id?: string }>;
  /** The `.qdc` text of the codebook (from `codebookToQdc`): its metadata comment and `<Codes>` are moved into the project. */
  codebookQdc: string;
  variables: Array<{ guid: string; name: string; type: 'Text' | 'Date' }>;
  sources: Array<{
    guid: string;
    name: string;
    plainTextPath: string;
    selections: Array<{
      guid: string;
      name: string;
      start: number;
      end: number;
      creatingUser?: string;
      /** creationDateTime, modifyingUser, modifiedDateTime as the producer wrote them (imported selections). */
      stamps: Record<string, string>;
      description?: string;
      codings: Array<{
        guid: string;
        codeGuid: string;
        creatingUser?: string;
        stamps: Record<string, string>;
        noteGuids: string[];
      }>;
      noteGuids: string[];
    }>;
    /** Codings of the source as a whole (kept from an imported project). */
    codings?: ProjectXml['sources'][number]['selections'][number]['codings'];
    values: Array<{ variableGuid: string; type: 'Text' | 'Date'; value: string }>;
  }>;
  notes: Array<{ guid: string; name: string; text: string }>;
  /** Sets of documents, written after the codebook's sets of codes. */
  documentSets: Array<{ guid: string; name: string; sourceGuids: string[] }>;
}

/**
 * The text of `project.qde` (valid against Project.xsd), two-space indented, ending in a newline.
 * @throws InputError when a value holds a character XML cannot carry (a control character)
 */
export function projectToQde(project: ProjectXml): string {
  const check = xmlSafe;
  const attr = attributeWriter();
  const qdcLines = project.codebookQdc.replace(/\n$/, '').split('\n');
  const codesStart = qdcLines.indexOf('  <Codes>');
  const codesEnd = qdcLines.lastIndexOf('  </Codes>');
  if (codesStart < 0 || codesEnd < codesStart)
    throw new Error('the .qdc writer changed its layout: no <Codes> block');
  const codebookComment = qdcLines.find((line) => line.startsWith(`<!-- ${codebookCommentPrefix}`));
  const marker = JSON.stringify(project.marker).replace(/--/g, '-\\u002d');

  const lines: string[] = ['<?xml version="1.0" encoding="utf-8"?>'];
  lines.push(
    `<Project xmlns="${qdaProjectNamespace}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${qdaProjectNamespace} Project.xsd"${attr('name', project.name, 'the study name')}${attr('origin', project.origin, 'origin')}>`,
  );
  lines.push(`  <!-- ${markerPrefix} ${check(marker, 'the document ids')} -->`);
  if (project.users.length > 0) {
    lines.push('  <Users>');
    for (const user of project.users)
      lines.push(
        `    <User guid="${user.guid}"${user.name === undefined ? '' : attr('name', user.name, 'a coder name')}${user.id === undefined ? '' : attr('id', user.id, 'a coder name')}/>`,
      );
    lines.push('  </Users>');
  }
  if (codesEnd > codesStart + 1) {
    if (codebookComment !== undefined) lines.push(`  ${codebookComment}`);
    lines.push('  <CodeBook>');
    // Element lines move two spaces in; lines that continue a Description are its text and stay as they are
    // (its text cannot start a line with "<", which is escaped).
    for (const line of qdcLines.slice(codesStart, codesEnd + 1))
      lines.push(/^\s*</.test(line) ? `  ${line}` : line);
    lines.push('  </CodeBook>');
  }
  if (project.variables.length > 0) {
    lines.push('  <Variables>');
    for (const variable of project.variables)
      lines.push(
        `    <Variable guid="${variable.guid}"${attr('name', variable.name, 'a metadata field name')} typeOfVariable="${variable.type}"/>`,
      );
    lines.push('  </Variables>');
  }
  if (project.sources.length > 0) {
    lines.push('  <Sources>');
    for (const source of project.sources) lines.push(...sourceLines(source));
    lines.push('  </Sources>');
  }
  if (project.notes.length > 0) {
    lines.push('  <Notes>');
    for (const note of project.notes) {
      lines.push(`    <Note guid="${note.guid}"${attr('name', note.name, 'a memo')}>`);
      lines.push(
        `      <PlainTextContent>${escapeText(check(note.text, `the memo ${note.name}`))}</PlainTextContent>`,
      );
      lines.push('    </Note>');
    }
    lines.push('  </Notes>');
  }
  // The codebook's sets of codes: a project keeps its Sets after Sources and Notes.
  const setsStart = qdcLines.indexOf('  <Sets>');
  const setLines =
    setsStart > codesEnd
      ? qdcLines
          .slice(setsStart + 1, qdcLines.lastIndexOf('  </Sets>'))
          .map((line) => line.replace(/^(\s*<MemberCode) guid=/, '$1 targetGUID='))
      : [];
  // Sets of documents (the documents' `sets` attribute) follow the sets of codes; one that has a
  // set of codes' GUID (an imported set that held both) joins it: its MemberSource after the MemberCode.
  for (const set of project.documentSets) {
    const codeSet = setLines.findIndex((line) => line.startsWith(`    <Set guid="${set.guid}"`));
    if (codeSet >= 0) {
      const close = setLines.indexOf('    </Set>', codeSet);
      setLines.splice(
        close,
        0,
        ...set.sourceGuids.map((guid) => `      <MemberSource targetGUID="${guid}"/>`),
      );
      continue;
    }
    setLines.push(
      `    <Set guid="${set.guid}"${attr('name', set.name, `the set of documents ${set.name}`)}>`,
    );
    for (const guid of set.sourceGuids) setLines.push(`      <MemberSource targetGUID="${guid}"/>`);
    setLines.push('    </Set>');
  }
  if (setLines.length > 0) lines.push('  <Sets>', ...setLines, '  </Sets>');
  lines.push('</Project>');
  return `${lines.join('\n')}\n`;
}

type Attr = (name: string, value: string, where: string) => string;

function attributeWriter(): Attr {
  return (name, value, where) => ` ${name}="${escapeAttribute(xmlSafe(value, where))}"`;
}

/** One `<TextSource>` with its selections, codings and variable values. */
function sourceLines(source: ProjectXml['sources'][number]): string[] {
  const attr = attributeWriter();
  const check = xmlSafe;
  const lines: string[] = [];
  const where = `document ${source.name}`;
  const open = `    <TextSource guid="${source.guid}"${attr('name', source.name, where)}${attr('plainTextPath', source.plainTextPath, where)}`;
  const codings = source.codings ?? [];
  if (source.selections.length === 0 && codings.length === 0 && source.values.length === 0) {
    lines.push(`${open}/>`);
    return lines;
  }
  lines.push(`${open}>`);
  for (const selection of source.selections) lines.push(...selectionLines(selection, where));
  for (const coding of codings) lines.push(...codingLines(coding, where, '      '));
  for (const value of source.values) {
    const element = value.type === 'Date' ? 'DateValue' : 'TextValue';
    lines.push('      <VariableValue>');
    lines.push(`        <VariableRef targetGUID="${value.variableGuid}"/>`);
    lines.push(`        <${element}>${escapeText(check(value.value, where))}</${element}>`);
    lines.push('      </VariableValue>');
  }
  lines.push('    </TextSource>');
  return lines;
}

/** The attributes creatingUser, creationDateTime, modifyingUser, modifiedDateTime in the schema's order. */
function stampAttributes(
  creatingUser: string | undefined,
  stamps: Record<string, string>,
  where: string,
): string {
  const attr = attributeWriter();
  let text = creatingUser === undefined ? '' : attr('creatingUser', creatingUser, where);
  for (const name of ['creationDateTime', 'modifyingUser', 'modifiedDateTime'])
    if (stamps[name] !== undefined) text += attr(name, stamps[name], where);
  return text;
}

/** One `<PlainTextSelection>`: Description, Codings, NoteRefs, in the order Project.xsd wants. */
function selectionLines(
  selection: ProjectXml['sources'][number]['selections'][number],
  where: string,
): string[] {
  const attr = attributeWriter();
  const lines: string[] = [];
  const open = `      <PlainTextSelection guid="${selection.guid}"${attr('name', selection.name, where)} startPosition="${selection.start}" endPosition="${selection.end}"${stampAttributes(selection.creatingUser, selection.stamps, where)}`;
  if (
    selection.codings.length === 0 &&
    selection.noteGuids.length === 0 &&
    selection.description === undefined
  ) {
    lines.push(`${open}/>`);
    return lines;
  }
  lines.push(`${open}>`);
  if (selection.description !== undefined)
    lines.push(`        <Description>${escapeText(xmlSafe(selection.description, where))}</Description>`);
  for (const coding of selection.codings) lines.push(...codingLines(coding, where, '        '));
  for (const note of selection.noteGuids) lines.push(`        <NoteRef targetGUID="${note}"/>`);
  lines.push('      </PlainTextSelection>');
  return lines;
}

/** One `<Coding>` with its CodeRef and NoteRefs. */
function codingLines(
  coding: ProjectXml['sources'][number]['selections'][number]['codings'][number],
  where: string,
  indent: string,
): string[] {
  return [
    `${indent}<Coding guid="${coding.guid}"${stampAttributes(coding.creatingUser, coding.stamps, where)}>`,
    `${indent}  <CodeRef targetGUID="${coding.codeGuid}"/>`,
    ...coding.noteGuids.map((note) => `${indent}  <NoteRef targetGUID="${note}"/>`),
    `${indent}</Coding>`,
  ];
}
