// Seeded data for the machine coders' benchmark (issue 16): statements of realistic sentence text in
// English and Spanish (about 70 % and 30 %), written from phrase banks per code of the bundled
// codebook, so that the dictionary patterns find something and the model has signal to learn; and a
// person's codes for the first N statements, drawn from the codes each sentence was written for with
// some noise (a coder who misses a code or adds one now and then). Written as a stream: the same
// seed always writes the same bytes, and no file is held in memory.

import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRandom } from '../dist/core/random.js';
import { benchCodes, writeLines } from './generate.mjs';

/** The codes of codebooks/usmca-2026.yaml, in codebook order (the bench's codes). */
const autocodeCodes = benchCodes;

// For each code: clauses about it, some with the codebook's words and some without (people code
// meaning, the dictionary finds words), in each language.
const clauses = {
  en: [
    [
      'the certification rules at the border remain a non-tariff barrier for exporters',
      'customs procedures still delay shipments of fresh produce',
      'phytosanitary inspections were harmonized after the first round',
      'inspectors duplicated the paperwork that Mexican officials had already checked',
      'regulatory duplication costs small firms weeks of waiting',
    ],
    [
      'the president threatened new tariffs on Mexican steel',
      'a 25 percent duty on imports would hurt both economies',
      'tariff-free trade must continue under the agreement',
      'the administration will not lift the duties before the review',
      'exporters fear that the levies will return next spring',
    ],
    [
      'the rules of origin for the automotive sector are under review',
      'negotiators discussed regional value content for auto plants',
      'investment screening and export controls aimed at China were raised',
      'the energy chapter and labor standards remain open questions',
      'digital trade provisions could be rewritten in the review',
    ],
    [
      'fentanyl seizures rose after the joint operation',
      'the cartels traffic precursor chemicals through the ports',
      'drug violence in the northern states has not declined',
      'arms smuggled from the north feed the violence',
      'the traffickers moved their laboratories inland',
    ],
    [
      'Mexico will not accept foreign interference in its territory',
      'our sovereignty is not negotiable',
      'there will be no subordination to any foreign government',
      'the principle of non-intervention guides our policy',
      'Mexican authorities alone carry out operations in our territory',
    ],
    [
      'the FBI announced the arrest of Ryan Wedding',
      'agents of the DEA took part in the investigation',
      'United States agencies offered personnel for the operation',
      'the F.B.I. director thanked his Mexican counterparts',
      'it is unclear what role American agents played in the arrest',
    ],
    [
      'she is a wonderful woman and a great leader',
      'the call was excellent and very productive',
      'relations between the two presidents are cordial and friendly',
      'he expressed deep respect for his counterpart',
      'it was a fantastic conversation, truly very good',
    ],
    [
      'the talks are progressing very well',
      'this is a win for both countries',
      'the agreement has serious shortcomings that must be fixed',
      'officials described the negotiations as tough but constructive',
      'the crisis at the border is an invasion, he said',
    ],
    [
      'American workers and farmers deserve better',
      'the voters sent a clear message in November',
      'Congress must approve any change to the agreement',
      'our people expect results before the elections',
      'families and communities along the border are watching',
    ],
  ],
  es: [
    [
      'las barreras no arancelarias siguen frenando las exportaciones',
      'los trámites de aduana retrasan los envíos de aguacate',
      'las inspecciones fitosanitarias se armonizaron tras la primera ronda',
      'los exportadores piden menos papeleo en la frontera',
      'la certificación de productos agrícolas tarda semanas',
    ],
    [
      'el presidente amenazó con nuevos aranceles al acero mexicano',
      'un arancel del 25 por ciento dañaría a ambas economías',
      'el comercio sin aranceles debe continuar',
      'los impuestos a las importaciones volverían en primavera',
      'la secretaría rechazó cualquier gravamen adicional',
    ],
    [
      'las reglas de origen del sector automotriz están en revisión',
      'los negociadores hablaron del contenido regional de los autos',
      'la reforma de energía preocupa a los inversionistas',
      'el capítulo laboral sigue abierto',
      'la industria automotriz pide certidumbre',
    ],
    [
      'los decomisos de fentanilo aumentaron tras el operativo',
      'los cárteles trafican precursores químicos por los puertos',
      'la violencia ligada a la droga no ha disminuido',
      'el narcotráfico controla rutas en el norte del país',
      'las armas que cruzan la frontera alimentan la violencia',
    ],
    [
      'México no aceptará injerencia extranjera en su territorio',
      'nuestra soberanía no se negocia',
      'no habrá subordinación a ningún gobierno extranjero',
      'la no intervención es un principio de nuestra política exterior',
      'solo las autoridades mexicanas actúan en nuestro territorio',
    ],
    [
      'el FBI anunció la detención de Ryan Wedding',
      'agentes de la DEA participaron en la investigación',
      'las agencias estadounidenses ofrecieron personal para el operativo',
      'el director del F.B.I. agradeció a sus contrapartes mexicanas',
      'no está claro qué papel tuvieron los agentes estadounidenses',
    ],
    [
      'la llamada fue excelente y muy productiva',
      'la relación entre ambos presidentes es cordial',
      'expresó su respeto por el presidente de Estados Unidos',
      'destacó la amistad entre los dos pueblos',
      'fue una conversación muy buena',
    ],
    [
      'las pláticas avanzan muy bien',
      'es un acuerdo en el que ganan los dos países',
      'México defenderá su dignidad en la negociación',
      'nunca aceptaremos un trato injusto',
      'la revisión del tratado va por buen camino',
    ],
    [
      'el pueblo de México respalda al gobierno',
      'los trabajadores mexicanos esperan resultados',
      'la presidenta habló a sus votantes en la mañanera',
      'la oposición criticó la postura del gobierno',
      'las familias de la frontera siguen la negociación',
    ],
  ],
};

const openers = {
  en: [
    'On Thursday',
    'In a statement',
    'Speaking to reporters',
    'According to officials',
    'In the morning briefing',
    'Later that day',
    'In an interview',
    'At the press conference',
  ],
  es: [
    'El jueves',
    'En un comunicado',
    'Ante la prensa',
    'Según funcionarios',
    'En la conferencia matutina',
    'Más tarde',
    'En una entrevista',
    'En la rueda de prensa',
  ],
};

const fillers = {
  en: [
    'the two governments agreed to meet again next month',
    'the delegations exchanged documents on the schedule of the review',
    'the spokesperson gave no further details',
    'both sides will publish a joint note after the meeting',
    'the ministers spoke for about forty minutes',
    'the working groups will report at the end of the quarter',
  ],
  es: [
    'los dos gobiernos acordaron reunirse el próximo mes',
    'las delegaciones intercambiaron documentos sobre el calendario de la revisión',
    'la vocera no dio más detalles',
    'ambas partes publicarán una nota conjunta después de la reunión',
    'los secretarios conversaron unos cuarenta minutos',
    'los grupos de trabajo informarán al final del trimestre',
  ],
};

const actors = [
  'Claudia Sheinbaum',
  'Donald Trump',
  'Jamieson Greer',
  'Marcelo Ebrard',
  'Reuters',
  'El Universal',
];

// Names of people and places, made of syllables and drawn with a long tail (the k-th name about as
// often as 1/k), so that the vocabulary grows with the corpus as a real one does.
const syllables = 'ba be ca co da de fa go la lo ma me na no pa pe ra ro sa so ta te va vi za'.split(' ');
function nameOf(index) {
  let name = '';
  for (let rest = index + 1; rest > 0; rest = Math.floor(rest / syllables.length))
    name += syllables[rest % syllables.length];
  return `${name[0].toUpperCase()}${name.slice(1)}`;
}
function rareName(random) {
  return nameOf(Math.floor(Math.exp((random.nextInt(1_000_000) / 1_000_000) * Math.log(200_000))));
}
const attributions = {
  en: (random) => `, said ${rareName(random)} of ${rareName(random)}`,
  es: (random) => `, dijo ${rareName(random)} de ${rareName(random)}`,
};

/** Chance (percent) that a statement is written about each code. */
const prevalence = [8, 12, 8, 12, 8, 5, 10, 10, 8];

/** One statement: its language, its text, and the codes it was written for. */
function statement(random) {
  const language = random.nextInt(10) < 7 ? 'en' : 'es';
  const codes = [];
  for (let code = 0; code < prevalence.length; code++)
    if (random.nextInt(100) < prevalence[code]) codes.push(code);
  const parts = codes.map((code) => {
    const bank = clauses[language][code];
    return bank[random.nextInt(bank.length)];
  });
  if (parts.length === 0 || random.nextInt(3) === 0) {
    const bank = fillers[language];
    parts.push(bank[random.nextInt(bank.length)]);
  }
  const opener = openers[language][random.nextInt(openers[language].length)];
  const joiner = language === 'en' ? ', and ' : ', y ';
  const attribution = random.nextInt(2) === 0 ? attributions[language](random) : '';
  const text = `${opener}, ${parts.join(joiner)}${attribution}.`;
  return { language, text, codes };
}

const quoted = (text) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/**
 * statements.csv (id,text,language,actor,date) with `count` rows, and people.csv (unit_id,code): a
 * person's codes for the first `coded` statements (unit ids `s<n>:1`, as `coding import` names them).
 * The person gives each code the statement was written for 90 % of the time and another code 1 % of
 * the time; a statement with no code is "reviewed, no code" (an empty code).
 */
export async function writeAutocodeData(files, count, coded, seed) {
  const random = createRandom(seed);
  const person = createRandom(seed + 1);
  const codedRows = [];
  await writeLines(files.statements, count + 1, (index) => {
    if (index === 0) return 'id,text,language,actor,date\n';
    const { language, text, codes } = statement(random);
    if (index <= coded) {
      const given = [];
      for (let code = 0; code < autocodeCodes.length; code++) {
        const written = codes.includes(code);
        if (written ? person.nextInt(100) < 90 : person.nextInt(100) < 1) given.push(code);
      }
      codedRows.push(
        given.length === 0
          ? `s${index}:1,\n`
          : given.map((code) => `s${index}:1,${autocodeCodes[code]}\n`).join(''),
      );
    }
    const day = 1 + random.nextInt(28);
    return `s${index},${quoted(text)},${language},${actors[random.nextInt(actors.length)]},2026-01-${String(day).padStart(2, '0')}\n`;
  });
  await writeLines(files.people, codedRows.length + 1, (index) =>
    index === 0 ? 'unit_id,code\n' : codedRows[index - 1],
  );
}

/**
 * Set up a workspace made by `coding init` for the machine-coder data: the bundled codebook
 * (copied from the repository at `root`), and one human coder, `people`, as primary.
 */
export function useBundledCodebookWithPeople(workspace, root) {
  copyFileSync(
    path.join(root, 'codebooks', 'usmca-2026.yaml'),
    path.join(workspace, 'codebooks', 'usmca-2026.yaml'),
  );
  const settings = path.join(workspace, 'coding.yaml');
  writeFileSync(
    settings,
    readFileSync(settings, 'utf8')
      .replace(/^codebook: .*$/m, 'codebook: codebooks/usmca-2026.yaml')
      .replace('primary: coder1', 'primary: people')
      .replace('names: [coder1, coder2]', 'names: [people]'),
  );
}
