/**
 * methods.md and methods.tex: the reliability and procedure section of a paper, from the study's
 * files. Every reliability figure is read from the `ReliabilityReport` the report also writes as
 * reliability.json and printed with `rounded` (3 decimals): nothing is computed here but counts of
 * verdicts. A fact that the files do not hold is said to be not recorded.
 */
import type { ReportData } from './data.js';
import { counted, type Inline, joinParts, joinWords, MethodsDocument } from './methods-document.js';
import type { FieldCount, MethodsFacts } from './methods-facts.js';
import { machineCodersSection } from './methods-machine.js';
import { reliabilitySection } from './methods-reliability.js';
import { methodsLatex, methodsMarkdown } from './methods-render.js';
import { rounded } from './reliability.js';

/** Values of a document field listed in a sentence before "and N more". */
const maxListed = 12;

/** "Reuters (3 documents), AP (1 document)" — the most frequent first, at most `maxListed`. */
function fieldList(values: readonly FieldCount[]): string {
  const listed = values
    .slice(0, maxListed)
    .map((value) => `${value.name} (${counted(value.documents, 'document')})`);
  if (values.length > maxListed) listed.push(`${values.length - maxListed} more`);
  return joinWords(listed);
}

function corpusSection(doc: MethodsDocument, data: ReportData, facts: MethodsFacts): void {
  const corpus = facts.corpus;
  doc.heading('Corpus');
  const kinds = corpus.unitKinds;
  const unit =
    kinds.length === 0
      ? 'The unit of analysis is not recorded in the documents.'
      : kinds.length === 1
        ? `The unit of analysis (the coding unit) is the ${kinds[0]!.name}.`
        : `The coding units are ${joinWords(kinds.map((kind) => `${kind.name}s (${counted(kind.documents, 'document')})`))}.`;
  const dates =
    corpus.dates === undefined
      ? 'The documents record no dates.'
      : `The documents are dated from ${corpus.dates.first} to ${corpus.dates.last}` +
        (corpus.undated > 0
          ? `; ${counted(corpus.undated, 'document has', 'documents have')} no date.`
          : '.');
  const accessed =
    corpus.accessed === undefined
      ? 'When they were accessed is not recorded.'
      : `They were accessed between ${corpus.accessed.first} and ${corpus.accessed.last}.`;
  const field = (name: string, values: readonly FieldCount[]) =>
    values.length === 0
      ? `The documents' ${name} are not recorded.`
      : `${name.charAt(0).toUpperCase()}${name.slice(1)}: ${fieldList(values)}.`;
  doc.paragraph(
    [
      `The corpus holds ${counted(corpus.documents, 'document')} divided into ${counted(corpus.units, 'unit')}. ${unit}`,
    ],
    [`${counted(data.study.coded_units, 'unit was', 'units were')} reviewed by at least one coder.`],
    [dates, ' ', accessed],
  );
  doc.paragraph(
    [field('sources', corpus.sources)],
    [field('genres', corpus.genres)],
    [field('roles (primary or secondary sources)', corpus.roles)],
    [field('languages', corpus.languages)],
  );
}

function codebookSection(doc: MethodsDocument, data: ReportData, facts: MethodsFacts): void {
  const codebook = facts.codebook;
  doc.heading('Codebook');
  const name: Inline[] =
    codebook.title === undefined
      ? [{ code: codebook.name }]
      : [`“${codebook.title}” (`, { code: codebook.name }, ')'];
  const exclusive = data.codebook.categories.filter((category) => category.exclusive);
  const structure = codebook.exclusive
    ? 'The codebook is exclusive: each unit takes exactly one code.'
    : exclusive.length > 0
      ? `Each code is recorded as present or absent; in the exclusive ${exclusive.length === 1 ? 'category' : 'categories'} ${joinWords(exclusive.map((category) => category.id))} a unit takes at most one code.`
      : 'Each code is recorded as present or absent; a unit can carry several codes.';
  doc.paragraph(
    [
      'Coding followed the codebook ',
      ...name,
      ', file ',
      { code: codebook.file },
      `, with ${counted(data.codebook.categories.length, 'category', 'categories')} and ${counted(data.codebook.codes.length, 'code')}, listed with their definitions in the appendix (`,
      { table: 'A1', label: 'tab:methods-codebook' },
      ').',
    ],
    [structure],
    [
      "The codebook's content hash (SHA-256 of its content, ignoring layout and comments) is ",
      { code: codebook.hash },
      '.',
    ],
  );
  const differing = facts.coders.filter(
    (coder) => coder.codebookHash !== undefined && coder.codebookHash !== codebook.hash,
  );
  const unrecorded = facts.coders.filter((coder) => coder.codebookHash === undefined);
  const checked = facts.coders.filter((coder) => coder.codebookHash === codebook.hash);
  doc.paragraph(
    checked.length > 0
      ? [
          `The annotations of ${joinWords(checked.map((coder) => coder.name))} record this hash: they were checked against this version of the codebook.`,
        ]
      : [],
    ...differing.map((coder): Inline[] => [
      `The annotations of ${coder.name} record another codebook hash (`,
      { code: coder.codebookHash! },
      '): the codebook changed after they were made.',
    ]),
    unrecorded.length > 0
      ? [
          `Which codebook version the annotations of ${joinWords(unrecorded.map((coder) => coder.name))} were made with is not recorded.`,
        ]
      : [],
  );
}

function sampleSection(doc: MethodsDocument, facts: MethodsFacts): void {
  doc.heading('Reliability sample');
  const sample = facts.sample;
  if (sample === undefined) {
    doc.paragraph([
      'No reliability sample is recorded (annotations/sample.csv is absent): agreement is measured on whatever units the coders both reviewed.',
    ]);
    return;
  }
  const asked =
    sample.fraction !== null
      ? `a fraction of ${sample.fraction} of the units was asked for`
      : sample.size_requested !== null
        ? `a size of ${counted(sample.size_requested, 'unit')} was asked for`
        : 'the requested size is not recorded';
  const design =
    sample.by === null
      ? 'as a simple random sample without replacement'
      : `as a proportional stratified random sample without replacement, stratified by ${sample.by}`;
  const strata = sample.strata
    .slice(0, maxListed)
    .map((stratum) => `${stratum.name} (${stratum.sample} of ${stratum.population})`);
  if (sample.strata.length > maxListed) strata.push(`${sample.strata.length - maxListed} more strata`);
  doc.paragraph(
    [
      `A reliability sample of ${sample.size} of the ${sample.population} units (${asked}) was drawn ${design}, with seed ${sample.seed}.`,
    ],
    sample.by === null ? [] : [`Strata (sample of population): ${joinWords(strata)}.`],
    [
      'The draw is recorded in annotations/sample.meta.json and can be repeated exactly from the seed (',
      { code: 'coding reproduce' },
      ' does so).',
    ],
  );
  doc.paragraph([`Drawing method, as recorded: ${sample.method}`]);
  const plan = sample.plan;
  if (plan === undefined) {
    doc.paragraph([
      'No sample-size plan is recorded: the size was set by hand, not by ',
      { code: 'coding plan' },
      '.',
    ]);
    return;
  }
  const rule =
    plan.method === 'kappa'
      ? `a confidence interval of Cohen's κ of ${plan.target} ± ${plan.half_width} at a confidence level of ${plan.level} (Donner & Rotondi 2010)`
      : plan.method === 'alpha'
        ? `Krippendorff's α ≥ ${plan.alpha_min} at a confidence level of ${plan.level} (Krippendorff 2004, §11.4)`
        : `the larger of Krippendorff's α ≥ ${plan.alpha_min} (Krippendorff 2004, §11.4) and a κ interval of ${plan.target} ± ${plan.half_width} (Donner & Rotondi 2010), at a confidence level of ${plan.level}`;
  const source =
    plan.source === 'given'
      ? 'given'
      : plan.source === 'final'
        ? 'estimated from the final codes'
        : `estimated from the codes of ${plan.source}`;
  const driver: Inline[] =
    plan.driver === '*'
      ? [`a prevalence of ${rounded(plan.prevalence, 4)} given for every code`]
      : [
          'the rarest code, ',
          { code: plan.driver },
          `, with a prevalence of ${rounded(plan.prevalence, 4)} (${source})`,
        ];
  doc.paragraph([
    'The size was set by ',
    { code: 'coding plan' },
    `: ${counted(plan.size, 'unit')} for ${rule}, driven by `,
    ...driver,
    plan.size > sample.population ? '; that is more than the corpus holds, so every unit was drawn.' : '.',
  ]);
}

function codersSection(doc: MethodsDocument, data: ReportData, facts: MethodsFacts): void {
  doc.heading('Coders');
  const coders = facts.coders.map((coder): Inline[] => [
    coder.name +
      (coder.name === facts.primary ? ', the primary coder,' : '') +
      ` reviewed ${counted(coder.unitsReviewed, 'unit')}` +
      (coder.sampleUnitsReviewed === undefined
        ? ''
        : ` (${coder.sampleUnitsReviewed} of them in the sample)`),
  ]);
  doc.paragraph(
    [`${counted(facts.coders.length, 'coder')} took part: `, ...joinParts(coders), '.'],
    facts.primary === undefined ? ['No primary coder is named in coding.yaml.'] : [],
    data.machine_primary === undefined
      ? []
      : [
          `The primary coder named in coding.yaml is the machine coder ${data.machine_primary.coder}, whose codes stand only where no person coded (see Machine coders).`,
        ],
    data.reliability === undefined
      ? []
      : [
          `Agreement is measured on the ${counted(data.reliability.n_units, 'unit')} ${data.reliability.coders.length === 2 ? 'both coders' : 'two or more coders'} reviewed; ${counted(data.reliability.units_not_shared, 'unit')} reviewed by fewer are left out of every figure.`,
        ],
    [
      "Whether the coders worked blind to each other's codes, and how they were trained, is not recorded in the study's files.",
    ],
  );
}

const decisionWords: Record<string, (a: string, b: string) => string> = {
  a: (a) => `${a}'s codes kept`,
  b: (_, b) => `${b}'s codes kept`,
  both: () => "both coders' codes kept",
  neither: () => 'no code kept',
  edit: () => 'other codes set',
};

function adjudicationSection(doc: MethodsDocument, data: ReportData, facts: MethodsFacts): void {
  doc.heading('Adjudication');
  const reliability = data.reliability;
  const adjudication = facts.adjudication;
  if (reliability === undefined) {
    doc.paragraph(['No disagreements are counted: there is no reliability comparison.']);
    return;
  }
  const [coderA = '', coderB = ''] = reliability.coders;
  doc.paragraph(
    [
      `${coderA} and ${coderB} disagreed on ${adjudication.disagreements} of the ${reliability.n_units} units they both reviewed (a unit counts once, however many of its codes differ).`,
    ],
    adjudication.disagreements === 0
      ? []
      : [
          `${adjudication.decided} of them ${adjudication.decided === 1 ? 'was' : 'were'} decided by adjudication and ${adjudication.pending} ${adjudication.pending === 1 ? 'is' : 'are'} pending.`,
        ],
    adjudication.deciders.length === 0
      ? []
      : [
          `Decided by ${joinWords(adjudication.deciders.map((decider) => `${decider.name} (${counted(decider.documents, 'decision')})`))}; decisions: ${joinWords(adjudication.kinds.map((kind) => `${(decisionWords[kind.name] ?? (() => kind.name))(coderA, coderB)} (${kind.documents})`))}.`,
        ],
    adjudication.decided === 0
      ? []
      : [
          `${adjudication.withRationale} of the ${counted(adjudication.decided, 'decision')} record a written rationale (disagreements.csv lists each with its rationale).`,
        ],
  );
  const machine = data.machine_primary;
  doc.paragraph([
    data.study.basis === 'final' && machine !== undefined
      ? `The theme tables use the final codes: the adjudicated codes where a disagreement was decided, the agreed codes where the coders agreed, otherwise a person's codes, and on the units no person coded the codes of the machine coder ${machine.coder}, the primary coder (see Machine coders).`
      : data.study.basis === 'final'
        ? `The theme tables use the final codes: the adjudicated codes where a disagreement was decided, the agreed codes where the coders agreed, and otherwise the primary coder's codes.`
        : `The theme tables use the codes of ${data.study.basis}.`,
  ]);
}

function materialsSection(doc: MethodsDocument, data: ReportData): void {
  doc.heading('Software and materials');
  doc.paragraph(
    [`The analysis was run with ${data.tool} (the coding command-line tool).`],
    ['', { code: 'coding reproduce' }, ' re-runs every step from the inputs and compares the figures.'],
  );
  doc.paragraph([
    "The report's manifest.json lists every file of the report with its SHA-256 and size, and the inputs with theirs:",
  ]);
  doc.list(
    data.inputs.map((input): Inline[] => [{ code: input.file }, { lineBreak: ': ' }, { code: input.sha256 }]),
  );
}

function appendix(doc: MethodsDocument, data: ReportData): void {
  doc.heading('Appendix: codebook');
  const categories = new Map(data.codebook.categories.map((category) => [category.id, category.label]));
  doc.table({
    number: 'A1',
    caption: 'Codes and their definitions.',
    label: 'tab:methods-codebook',
    header: ['Category', 'Code', 'Label', 'Definition'],
    align: ['left', 'left', 'text', 'text'],
    long: true,
    rows: data.codebook.codes.map((code) => [
      categories.get(code.category) ?? code.category,
      code.id,
      code.label,
      code.definition ?? 'not recorded',
    ]),
    notes: [],
  });
}

/** Statistics cited by name, for the references (filled by the reliability section). */
export type Cited = Set<string>;

/** The methods section as blocks (for both renderers). */
export function methodsBlocks(data: ReportData, facts: MethodsFacts): MethodsDocument {
  const doc = new MethodsDocument();
  const cited: Cited = new Set();
  doc.heading('Method: corpus, coding and reliability', 1);
  doc.paragraph([
    `Generated by ${data.tool} from the study's files. Edit freely; every reliability figure is the one in reliability.json of the same report, rounded to 3 decimals.`,
  ]);
  corpusSection(doc, data, facts);
  codebookSection(doc, data, facts);
  sampleSection(doc, facts);
  codersSection(doc, data, facts);
  reliabilitySection(doc, data, cited);
  adjudicationSection(doc, data, facts);
  machineCodersSection(doc, data, cited);
  materialsSection(doc, data);
  references(doc, facts, cited);
  appendix(doc, data);
  return doc;
}

const referenceTexts: Record<string, string> = {
  'Brennan & Prediger 1981':
    'Brennan, R. L., & Prediger, D. J. (1981). Coefficient kappa: Some uses, misuses, and alternatives. Educational and Psychological Measurement, 41, 687–699.',
  'Cohen 1960':
    'Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological Measurement, 20(1), 37–46.',
  'De Vries et al. 2008':
    'De Vries, H., Elliott, M. N., Kanouse, D. E., & Teleki, S. S. (2008). Using pooled kappa to summarize interrater agreement across many items. Field Methods, 20(3), 272–282.',
  'Donner & Rotondi 2010':
    'Donner, A., & Rotondi, M. A. (2010). Sample size requirements for interval estimation of the kappa statistic for interobserver agreement studies with a binary outcome and multiple raters. International Journal of Biostatistics, 6(1), 31.',
  'Efron & Tibshirani 1993':
    'Efron, B., & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.',
  'Fleiss et al. 1969':
    'Fleiss, J. L., Cohen, J., & Everitt, B. S. (1969). Large sample standard errors of kappa and weighted kappa. Psychological Bulletin, 72(5), 323–327.',
  'Gilardi et al. 2023':
    'Gilardi, F., Alizadeh, M., & Kubli, M. (2023). ChatGPT outperforms crowd workers for text-annotation tasks. Proceedings of the National Academy of Sciences, 120(30), e2305016120.',
  'Grimmer et al. 2022':
    'Grimmer, J., Roberts, M. E., & Stewart, B. M. (2022). Text as Data: A New Framework for Machine Learning and the Social Sciences. Princeton University Press.',
  'Gwet 2008':
    'Gwet, K. L. (2008). Computing inter-rater reliability and its variance in the presence of high agreement. British Journal of Mathematical and Statistical Psychology, 61(1), 29–48.',
  'Gwet 2014': 'Gwet, K. L. (2014). Handbook of Inter-Rater Reliability (4th ed.). Advanced Analytics.',
  'Hayes & Krippendorff 2007':
    'Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability measure for coding data. Communication Methods and Measures, 1(1), 77–89.',
  'Krippendorff 2004':
    'Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology (2nd ed.). Sage.',
  'Krippendorff 2011':
    "Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for Communication.",
  'Scott 1955':
    'Scott, W. A. (1955). Reliability of content analysis: The case of nominal scale coding. Public Opinion Quarterly, 19(3), 321–325.',
};

function references(doc: MethodsDocument, facts: MethodsFacts, cited: Cited): void {
  const plan = facts.sample?.plan;
  if (plan !== undefined && plan.method !== 'kappa') cited.add('Krippendorff 2004');
  if (plan !== undefined && plan.method !== 'alpha') cited.add('Donner & Rotondi 2010');
  if (cited.size === 0) return;
  doc.heading('References');
  doc.list([...cited].sort().map((key) => [referenceTexts[key] ?? key]));
}

/** methods.md and methods.tex of a report. */
export function renderMethods(data: ReportData, facts: MethodsFacts): { markdown: string; latex: string } {
  const { blocks } = methodsBlocks(data, facts);
  return { markdown: methodsMarkdown(blocks), latex: methodsLatex(blocks) };
}
