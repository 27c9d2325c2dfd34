/**
 * Reading text files the way researchers' files arrive: UTF-8 with or without a BOM, CRLF or LF.
 * Anything else (UTF-16, Windows-1252, a binary file) is refused with the line of the first bad
 * byte and the command that converts it.
 */
import { InputError } from '../errors.js';

const byteOrderMark = '\uFEFF';
const asciiOnly = /^[\x00-\x7F]*$/;

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    let length: number;
    let minimum: number;
    if (lead < 0x80) {
      index++;
      continue;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
      minimum = 0x80;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      minimum = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      minimum = 0x10000;
    } else {
      return index;
    }
    if (index + length > bytes.length) return index;
    let codePoint = lead & (0xff >> (length + 1));
    for (let offset = 1; offset < length; offset++) {
      const continuation = bytes[index + offset]!;
      if ((continuation & 0xc0) !== 0x80) return index;
      codePoint = (codePoint << 6) | (continuation & 0x3f);
    }
    if (codePoint < minimum || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))
      return index;
    index += length;
  }
  return -1;
}

/** A guess at the encoding of bytes that are not UTF-8, for the error message. */
export function guessEncoding(bytes: Uint8Array): string | undefined {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  const sample = bytes.subarray(0, 1 << 16);
  let zeros = 0;
  let high = 0;
  for (const byte of sample) {
    if (byte === 0) zeros++;
    else if (byte >= 0x80) high++;
  }
  if (zeros > 0) {
    // Text in UTF-16 without a BOM has a zero in every other byte for ASCII characters.
    let evenZeros = 0;
    let oddZeros = 0;
    for (let index = 0; index < sample.length; index++) {
      if (sample[index] === 0) {
        if (index % 2 === 0) evenZeros++;
        else oddZeros++;
      }
    }
    if (oddZeros > sample.length / 4 && evenZeros === 0) return 'UTF-16LE';
    if (evenZeros > sample.length / 4 && oddZeros === 0) return 'UTF-16BE';
    return undefined;
  }
  if (high > 0) return 'WINDOWS-1252';
  return undefined;
}

/** True when the bytes look like a binary file (a NUL byte in the first 8 KiB and not UTF-16). */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  if (!sample.includes(0)) return false;
  const guess = guessEncoding(bytes);
  return guess === undefined;
}

function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index++) if (bytes[index] === 0x0a) line++;
  return line;
}

/** The error for bytes that are not UTF-8 text, naming the encoding to convert from when it is recognisable. */
export function notUtf8Error(file: string, bytes: Uint8Array, linesBefore = 0): InputError {
  if (looksBinary(bytes)) {
    return new InputError('this is a binary file, not text', {
      location: { file },
      hint: 'import plain text (.txt, .md), .csv or .jsonl files; convert other formats to text first.',
    });
  }
  const guess = guessEncoding(bytes);
  const invalidAt = firstInvalidUtf8Offset(bytes);
  const line = linesBefore + (invalidAt >= 0 ? lineOfOffset(bytes, invalidAt) : 1);
  const encoding = guess ?? 'an unknown 8-bit encoding';
  const hint =
    guess === undefined
      ? 'save the file as UTF-8 in your editor, or convert it with iconv -f <encoding> -t UTF-8.'
      : `convert it with: iconv -f ${guess} -t UTF-8 '${file}' > converted.txt`;
  return new InputError(`the file is not UTF-8 text (it looks like ${encoding})`, {
    location: { file, line },
    hint,
  });
}

/**
 * Decode a whole file's bytes as UTF-8 text: the BOM is dropped, CRLF and lone CR become LF, and
 * the text is put in Unicode normalisation form C, so the same text always hashes the same.
 * @throws InputError when the bytes are binary or not UTF-8
 */
export function decodeText(bytes: Uint8Array, file: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw notUtf8Error(file, bytes);
  }
  if (text.includes('\u0000')) throw notUtf8Error(file, bytes);
  return normaliseText(text);
}

/** BOM dropped, line ends as LF, NFC. */
export function normaliseText(text: string): string {
  let result = text.startsWith(byteOrderMark) ? text.slice(1) : text;
  if (result.includes('\r')) result = result.replace(/\r\n?/g, '\n');
  // Plain ASCII is already in NFC; normalising it would only copy it.
  return asciiOnly.test(result) ? result : result.normalize('NFC');
}
