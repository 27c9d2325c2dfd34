// Seeded statements closer to a real collection than generate.mjs's one-line ones, for the
// benchmark of the other commands at 1M units (issue 14, point 4): one to three sentences each, in
// English or Spanish (accents, "¿…?", abbreviations such as "U.S.", "Mr.", "EE. UU.", "Sra."),
// commas and quotes (so that many rows are quoted CSV fields), eight actors, dates over two years,
// and a language column. Written as a stream: 1M rows (about 190 MB) need no memory.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createRandom } from '../dist/core/random.js';

const english = (
  'trade tariff barrier customs border security cartel fentanyl sovereignty agreement review ' +
  'president talks progress cooperation leader framing voters congress investment automotive ' +
  'agriculture digital rules origin enforcement operation arrest agency statement press week ' +
  'steel aluminum dairy energy workers jobs supply chains migration deadline negotiators'
).split(' ');
const spanish = (
  'comercio arancel frontera seguridad cártel fentanilo soberanía acuerdo revisión presidenta ' +
  'diálogo avance cooperación inversión automotriz agricultura reglas origen operativo detención ' +
  'agencia comunicado conferencia prensa semana gobierno economía acero aluminio energía empleos ' +
  'cadenas suministro migración plazo negociadores trabajadores mañanera aranceles'
).split(' ');
const englishNames = [
  'Mr. Trump',
  'the U.S.',
  'Mexico',
  'Canada',
  'Ms. Sheinbaum',
  'Dr. Ramírez',
  'the USMCA',
];
const spanishNames = [
  'EE. UU.',
  'la Sra. Sheinbaum',
  'México',
  'Canadá',
  'el T-MEC',
  'el Lic. Ebrard',
  'Washington',
];
const actors = [
  'Claudia Sheinbaum',
  'Donald Trump',
  'Jamieson Greer',
  'Marcelo Ebrard',
  'White House',
  'Reuters',
  'El Universal',
  'CBC News',
];
const genres = ['press conference', 'press release', 'social post', 'news article', 'briefing'];

function sentence(random, words, names, spanishMarks) {
  const length = 5 + random.nextInt(14);
  const parts = [];
  for (let index = 0; index < length; index++) {
    parts.push(
      index < length - 1 && random.nextInt(9) === 0
        ? names[random.nextInt(names.length)]
        : words[random.nextInt(words.length)],
    );
    if (index > 1 && index < length - 2 && random.nextInt(12) === 0) parts[parts.length - 1] += ',';
  }
  let text = parts.join(' ');
  text = `${text[0].toUpperCase()}${text.slice(1)}`;
  const kind = random.nextInt(10);
  if (kind === 0) return spanishMarks ? `¿${text}?` : `${text}?`;
  if (kind === 1) return spanishMarks ? `¡${text}!` : `${text}!`;
  return `${text}.`;
}

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
const field = (value) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** statements.csv: id,text,actor,genre,date,role,language — one to three sentences a row. */
export async function writeMixedStatements(file, count, seed) {
  const random = createRandom(seed);
  const stream = createWriteStream(file);
  let buffer = 'id,text,actor,genre,date,role,language\n';
  for (let index = 1; index <= count; index++) {
    const isSpanish = random.nextInt(5) < 2;
    const sentences = 1 + (random.nextInt(20) < 10 ? 0 : random.nextInt(20) < 14 ? 1 : 2);
    const texts = [];
    for (let count = 0; count < sentences; count++)
      texts.push(
        isSpanish
          ? sentence(random, spanish, spanishNames, true)
          : sentence(random, english, englishNames, false),
      );
    let text = texts.join(' ');
    if (random.nextInt(15) === 0) text = isSpanish ? `"${text}", dijo.` : `"${text}", he said.`;
    const year = 2025 + random.nextInt(2);
    const month = String(1 + random.nextInt(12)).padStart(2, '0');
    const day = String(1 + random.nextInt(28)).padStart(2, '0');
    buffer +=
      `s${index},${field(text)},${actors[random.nextInt(actors.length)]},${genres[random.nextInt(genres.length)]},` +
      `${year}-${month}-${day},${random.nextInt(3) === 0 ? 'secondary' : 'primary'},${isSpanish ? 'es' : 'en'}\n`;
    if (buffer.length > 1 << 20) {
      if (!stream.write(buffer)) await once(stream, 'drain');
      buffer = '';
    }
  }
  stream.end(buffer);
  await once(stream, 'finish');
}
