/**
 * How another program counted the positions of its selections: code points or UTF-16 code units,
 * a CRLF as one character or two. The producer says it when we know it (NVivo counts UTF-16 code
 * units: read that way, 99–100 % of the selections of three NVivo projects start and end on word
 * boundaries; read as code points, 16–62 %). When we do not, or when the known rule fits the
 * project clearly worse than another reading, the readings are compared by how many selection
 * ends fall on word boundaries: people select words, not halves of words.
 */
import { type CrlfCount, type OffsetUnit, type PositionPieces, positionMapOf } from './overlap.js';
import { CodePointIndex } from './segmenter.js';

export interface PositionReading {
  offsets: OffsetUnit;
  crlf: CrlfCount;
}

/** What is known of a producer from its `origin` attribute. */
export interface ProducerRule {
  /** The program, as shown to the user. */
  program: string;
  offsets?: OffsetUnit;
  crlf?: CrlfCount;
}

/**
 * The counting of the programs we know, by `origin`. NVivo: UTF-16 code units, CRLF as two (the
 * shared NVivo for Windows 12.6 export: 100 % of selections on word boundaries so). ATLAS.ti: a
 * CRLF as one (QualCoder's importer says the same); its unit is measured. QualCoder, the qc tool
 * and this tool count code points (Python and our own strings).
 */
export function producerRule(origin: string | undefined): ProducerRule | undefined {
  const text = origin ?? '';
  if (/nvivo/i.test(text)) return { program: 'NVivo', offsets: 'utf16', crlf: 'two' };
  if (/atlas\.?ti/i.test(text)) return { program: 'ATLAS.ti', crlf: 'one' };
  if (/qualcoder/i.test(text)) return { program: 'QualCoder', offsets: 'codepoints', crlf: 'two' };
  if (/^qc\b/i.test(text.trim())) return { program: 'qc', offsets: 'codepoints', crlf: 'two' };
  if (/^coding\b/i.test(text.trim())) return { program: 'coding', offsets: 'codepoints', crlf: 'two' };
  if (/maxqda/i.test(text)) return { program: 'MAXQDA' };
  return undefined;
}

export interface TextWithSelections {
  /** The source's plain text as the program held it, analysed once (`analysePositions`). */
  pieces: PositionPieces;
  /** Positions as written in the project. */
  selections: ReadonlyArray<{ start: number; end: number }>;
}

export interface Alignment {
  /** Selection ends (starts and ends) that fall on a word boundary. */
  aligned: number;
  /** Selection ends inside the text under this reading. */
  ends: number;
  /** Selections that fall outside the text under this reading. */
  outside: number;
}

const wordCharacter = /[\p{L}\p{N}\p{M}]/u;

function isWordAt(index: CodePointIndex, codePoint: number): boolean {
  const at = index.utf16Offset(codePoint);
  if (at >= index.text.length) return false;
  const unit = index.text.codePointAt(at);
  return unit !== undefined && wordCharacter.test(String.fromCodePoint(unit));
}

/** True when a position (code points of the normalised text) is not inside a word. */
function onBoundary(index: CodePointIndex, position: number): boolean {
  if (position <= 0) return true;
  return !(isWordAt(index, position - 1) && isWordAt(index, position));
}

/** How well a reading fits: selection ends on word boundaries, and selections outside the text. */
export function measureAlignment(
  texts: readonly TextWithSelections[],
  reading: PositionReading,
  indexes: Map<TextWithSelections, CodePointIndex> = new Map(),
): Alignment {
  const result: Alignment = { aligned: 0, ends: 0, outside: 0 };
  for (const text of texts) {
    const { pieces, selections } = text;
    if (selections.length === 0) continue;
    const map = positionMapOf(pieces, reading);
    let index = indexes.get(text);
    if (index === undefined) {
      index = new CodePointIndex(pieces.text);
      indexes.set(text, index);
    }
    for (const selection of selections) {
      const start = map.toNormalised(selection.start);
      const end = map.toNormalised(selection.end);
      if (start === undefined || end === undefined || selection.start > selection.end) {
        result.outside++;
        continue;
      }
      result.ends += 2;
      if (onBoundary(index, start)) result.aligned++;
      if (onBoundary(index, end)) result.aligned++;
    }
  }
  return result;
}

/** The share of selection ends on word boundaries, counting selections outside the text as misses. */
export function alignmentShare(alignment: Alignment): number {
  const total = alignment.ends + 2 * alignment.outside;
  return total === 0 ? 1 : alignment.aligned / total;
}

export interface ReadingChoice {
  reading: PositionReading;
  /** How the reading was chosen, for the summary. */
  reason: string;
  /** Each reading measured, with its share of ends on word boundaries (absent when nothing was measured). */
  measured: Array<{ reading: PositionReading; share: number }>;
  /** True when the producer's known rule was set aside because another reading fits clearly better. */
  overruled: boolean;
}

/** Another reading must align this much better (share of ends) to overrule a producer's known rule. */
export const overruleMargin = 0.1;

function describe(reading: PositionReading): string {
  return `${reading.offsets === 'utf16' ? 'UTF-16 code units' : 'code points'}, CRLF as ${reading.crlf}`;
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(share === 1 || share === 0 ? 0 : 1)} %`;
}

/**
 * Choose how to read positions. The user's options win; then the producer's known rule; what is
 * unknown is measured, among the readings that can differ for these texts (units only when a text
 * has characters outside the BMP, CRLF only when one has a CRLF). A known rule is overruled when
 * another reading puts clearly more selection ends on word boundaries (by `overruleMargin`).
 * Ties go to the standard's reading: code points, CRLF as two.
 */
export function choosePositionReading(
  texts: readonly TextWithSelections[],
  origin: string | undefined,
  given: Partial<PositionReading>,
): ReadingChoice {
  const rule = producerRule(origin);
  const astral = texts.some((text) => text.selections.length > 0 && text.pieces.astral);
  const crlf = texts.some((text) => text.selections.length > 0 && text.pieces.crlf);
  const offsetsOptions: OffsetUnit[] =
    given.offsets !== undefined ? [given.offsets] : astral ? ['codepoints', 'utf16'] : ['codepoints'];
  const crlfOptions: CrlfCount[] = given.crlf !== undefined ? [given.crlf] : crlf ? ['two', 'one'] : ['two'];
  const known: PositionReading = {
    offsets: given.offsets ?? rule?.offsets ?? 'codepoints',
    crlf: given.crlf ?? rule?.crlf ?? 'two',
  };
  const candidates = offsetsOptions.flatMap((offsets) =>
    crlfOptions.map((count) => ({ offsets, crlf: count })),
  );
  const source = rule === undefined ? 'the producer is not known' : `${rule.program}`;
  if (candidates.length === 1) {
    const fixed = given.offsets !== undefined && given.crlf !== undefined;
    return {
      reading: known,
      reason: fixed
        ? 'as given'
        : `${rule === undefined ? 'the standard' : rule.program}; the readings do not differ for these texts`,
      measured: [],
      overruled: false,
    };
  }
  // The text's code point index is built once and shared by every reading.
  const indexes = new Map<TextWithSelections, CodePointIndex>();
  const measured = candidates.map((reading) => ({
    reading,
    share: alignmentShare(measureAlignment(texts, reading, indexes)),
  }));
  const best = measured.reduce((top, item) => (item.share > top.share + 1e-12 ? item : top), measured[0]!);
  const knownEntry = measured.find(
    (item) => item.reading.offsets === known.offsets && item.reading.crlf === known.crlf,
  );
  const fullyKnown =
    (given.offsets !== undefined || rule?.offsets !== undefined || !astral) &&
    (given.crlf !== undefined || rule?.crlf !== undefined || !crlf);
  const shares = measured.map((item) => `${describe(item.reading)} ${percent(item.share)}`).join('; ');
  if (fullyKnown && knownEntry !== undefined) {
    if (best.share - knownEntry.share >= overruleMargin) {
      return {
        reading: best.reading,
        reason: `measured, overruling ${source}'s usual counting: selection ends on word boundaries — ${shares}`,
        measured,
        overruled: true,
      };
    }
    return {
      reading: known,
      reason: `${source}; selection ends on word boundaries — ${shares}`,
      measured,
      overruled: false,
    };
  }
  return {
    reading: best.reading,
    reason: `measured (${source === 'the producer is not known' ? source : `${source}'s counting is not known`}): selection ends on word boundaries — ${shares}`,
    measured,
    overruled: false,
  };
}
