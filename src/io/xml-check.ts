/**
 * The checks every REFI-QDA XML file passes before it is parsed: no DOCTYPE (entity declarations
 * can expand without bound), a bounded depth, and well-formed XML. Kept apart from `xml.ts` so that
 * only readers of REFI-QDA files load the XML validator.
 */
import { XMLValidator } from 'fast-xml-parser';
import { InputError } from '../errors.js';
import { checkXmlDepth, lineAndColumn } from './xml.js';

export interface XmlCheckWording {
  /** The subject of the messages: "the file", "project.qde". */
  subject: string;
  /** What such files are, plural: "REFI-QDA codebooks". */
  kind: string;
  /** What to export again from its program: "the codebook". */
  exportAgain: string;
  /** Named in the depth message: "this codebook". */
  depthWhat: string;
  /** The hint for XML that is not well-formed. */
  notWellFormedHint: string;
}

/** @throws InputError when the text declares a DOCTYPE, nests too deep, or is not well-formed XML */
export function checkRefiXml(text: string, file: string, wording: XmlCheckWording): void {
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) {
    throw new InputError(`${wording.subject} declares a DOCTYPE, which ${wording.kind} never have; refused`, {
      location: { file, ...lineAndColumn(text, doctype.index) },
      hint: `DOCTYPE entity declarations can expand without bound; export ${wording.exportAgain} again from its program.`,
    });
  }
  checkXmlDepth(text, file, wording.depthWhat);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new InputError(`${wording.subject} is not well-formed XML: ${valid.err.msg}`, {
      location: { file, line: valid.err.line, column: valid.err.col },
      hint: wording.notWellFormedHint,
    });
  }
}
