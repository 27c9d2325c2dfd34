// A generated REFI-QDA project of the shape that NVivo for Mac 12.7 wrote for a real study (issue
// 19: two texts of ~600,000 characters, ~300 selections, ~150 nested codes): social-media text
// with emoji and accented letters, CRLF line ends, positions in UTF-16 code units with a CRLF
// counted as two, sources under a lower-case `sources/`. Seeded: the same bytes every time.
// Used by the test (test/e2e/qdpx-large.test.ts) and by `npm run bench`. `texts` and `block` make
// other shapes: one text of 200 M characters that is a 600,000-character block repeated (issue 12:
// a 395 KB .qdpx holding a 200 MB text) is `{ texts: 1, textLength: 200_000_000, block: 600_000 }`.
import { zipSync } from 'fflate';

const words = [
  'the',
  'vaccine',
  'people',
  'say',
  'nem',
  'igen',
  'oltás',
  'kötelező',
  'szabadság',
  'health',
  'risk',
  'government',
  'trust',
  'doctors',
  'children',
  'école',
  'façade',
  'naïve',
  'Zürich',
  'data',
  'side',
  'effects',
  'news',
  'friends',
  'family',
  'work',
  'travel',
  'rules',
  'mask',
];
const emoji = ['😀', '🙂', '💉', '🇭🇺', '👍🏽', '😡', '❤️', '🤔'];

/** A small linear congruential generator (numbers from Numerical Recipes), for repeatable text. */
function generator(seed) {
  let state = seed >>> 0;
  return (limit) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % limit;
  };
}

function guid(kind, index) {
  const hex = (kind * 1_000_000 + index).toString(16).padStart(12, '0');
  return `5a1e0000-0000-4000-8000-${hex}`;
}

/** One text: sentences with emoji, paragraphs of a few sentences, CRLF line ends. */
function makeText(random, length) {
  const sentences = [];
  let size = 0;
  let paragraph = [];
  while (size < length) {
    const count = 6 + random(14);
    const parts = [];
    for (let index = 0; index < count; index++) {
      parts.push(words[random(words.length)]);
      if (random(6) === 0) parts.push(emoji[random(emoji.length)]);
    }
    const sentence = `${parts.join(' ').replace(/^./, (first) => first.toUpperCase())}${random(3) === 0 ? '!' : '.'}`;
    paragraph.push(sentence);
    size += sentence.length + 1;
    if (paragraph.length >= 2 + random(5)) {
      sentences.push(paragraph);
      size += 2;
      paragraph = [];
    }
  }
  if (paragraph.length > 0) sentences.push(paragraph);
  // Sentences within a paragraph are separated by a space, paragraphs by a blank line (CRLF CRLF).
  return sentences.map((sentencesOf) => sentencesOf.join(' ')).join('\r\n\r\n');
}

/** A text of about `length` characters: `block` again and again, paragraphs apart (compresses to almost nothing, as a ZIP bomb's text would). */
function repeated(block, length) {
  const copies = Math.max(1, Math.round(length / (block.length + 4)));
  return Array.from({ length: copies }, () => block).join('\r\n\r\n');
}

/** Sentence spans (UTF-16 offsets) of a text made by makeText. */
function sentenceSpans(text) {
  const spans = [];
  const pattern = /[^ \r\n][^.!]*[.!]/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text))
    spans.push({ start: match.index, end: match.index + match[0].length, text: match[0] });
  return spans;
}

/**
 * The project: `{ archive, expected, codes, textLength }`. `expected` lists, per selection, the
 * source's name, the selected sentence and the coded code's name and user: the unit holding that
 * sentence must carry that code from that coder after an import.
 */
export function nvivoMacShapedProject({
  textLength = 600_000,
  selections = 300,
  seed = 19,
  texts = 2,
  block = undefined,
} = {}) {
  const random = generator(seed);
  const users = [
    { guid: guid(1, 1), name: 'Coder A' },
    { guid: guid(1, 2), name: 'Coder B' },
  ];
  // 150 codes: 10 groups, 6 codes in each, two sub-codes under the first 4 codes of each group.
  const codes = [];
  const codeXml = [];
  let codeIndex = 0;
  for (let group = 1; group <= 10; group++) {
    const groupGuid = guid(2, codeIndex++);
    codes.push({ guid: groupGuid, name: `Group ${group}`, codable: false });
    codeXml.push(
      `<Code guid="${groupGuid}" name="Group ${group}" isCodable="true"><Description>Theme ${group}: what people say about it, in ${group * 3} words or more.</Description>`,
    );
    for (let child = 1; child <= 6; child++) {
      const childGuid = guid(2, codeIndex++);
      codes.push({ guid: childGuid, name: `Code ${group}.${child}`, codable: true });
      codeXml.push(`<Code guid="${childGuid}" name="Code ${group}.${child}" isCodable="true">`);
      if (child <= 4) {
        for (let sub = 1; sub <= 2; sub++) {
          const subGuid = guid(2, codeIndex++);
          codes.push({ guid: subGuid, name: `Code ${group}.${child}.${sub}`, codable: true });
          codeXml.push(`<Code guid="${subGuid}" name="Code ${group}.${child}.${sub}" isCodable="true"/>`);
        }
      }
      codeXml.push('</Code>');
    }
    codeXml.push('</Code>');
  }
  const codable = codes.filter((code) => code.codable);
  const files = {};
  const sourceXml = [];
  const expected = [];
  for (let source = 0; source < texts; source++) {
    const text =
      block === undefined ? makeText(random, textLength) : repeated(makeText(random, block), textLength);
    const spans = sentenceSpans(text);
    const sourceGuid = guid(3, source);
    const name = `Posts ${source + 1}`;
    files[`sources/${sourceGuid}.txt`] = new TextEncoder().encode(text);
    const selectionXml = [];
    const count =
      texts === 1 ? selections : source === 0 ? Math.ceil(selections / 2) : Math.floor(selections / 2);
    const used = new Set();
    for (let index = 0; index < count; index++) {
      let span;
      do span = random(spans.length);
      while (used.has(span));
      used.add(span);
      const { start, end, text: sentence } = spans[span];
      const code = codable[random(codable.length)];
      const user = users[index % 2];
      const selectionGuid = guid(4, source * 10_000 + index);
      // NVivo: the selection's creatingUser may be someone else than the coding's.
      selectionXml.push(
        `<PlainTextSelection guid="${selectionGuid}" name="" startPosition="${start}" endPosition="${end}" creatingUser="${users[(index + 1) % 2].guid}"><Description/><Coding guid="${guid(5, source * 10_000 + index)}" creatingUser="${user.guid}"><CodeRef targetGUID="${code.guid}"/></Coding></PlainTextSelection>`,
      );
      expected.push({ source: name, sentence, code: code.name, user: user.name });
    }
    sourceXml.push(
      `<TextSource guid="${sourceGuid}" name="${name}" plainTextPath="internal://${sourceGuid}.txt" creatingUser="${users[0].guid}">${selectionXml.join('')}</TextSource>`,
    );
  }
  const qde = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Posts" origin="NVivo for Mac 12.7">
<Users>${users.map((user) => `<User guid="${user.guid}" name="${user.name}"/>`).join('')}</Users>
<CodeBook><Codes>${codeXml.join('')}</Codes></CodeBook>
<Sources>${sourceXml.join('')}</Sources>
</Project>
`;
  files['project.qde'] = new TextEncoder().encode(qde);
  return { archive: zipSync(files, { mtime: new Date(2024, 0, 1) }), expected, codes };
}
