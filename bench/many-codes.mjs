// A study with a large codebook (issue 12: 2,000 codes made `coding report` take 165 s, 4 GB and
// write a 482 MB report.html). Self-contained and seeded, so that the benchmark and the test that
// keeps the report small measure the same bytes.

/** A small linear congruential generator: enough to spread codes, and the same on every machine. */
function seeded(seed) {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % below;
  };
}

const actors = ['Sheinbaum', 'Trump', 'Greer', 'Carney', 'Reuters', 'El Universal', 'CBC News', 'AP'];
const genres = ['press conference', 'press release', 'social post', 'news article', 'briefing'];

/** The id of code `index` (0-based) of a codebook of many codes. */
export const manyCodeId = (index) =>
  `c${String(Math.floor(index / 100)).padStart(2, '0')}.k${String(index).padStart(4, '0')}`;

/**
 * The files of the study, relative path → text: `codebooks/codebook.yaml` with `codes` codes in
 * categories of 100, `statements.csv` with `units` statements (actor, genre, date, role), and two
 * coders' annotations `a.csv` and `b.csv` (unit_id,code): coder A gives one to three codes per
 * unit, coder B agrees on most of them.
 */
export function manyCodesStudy({ codes, units, seed = 1 }) {
  const next = seeded(seed);
  const categories = [];
  for (let start = 0; start < codes; start += 100) {
    const category = `c${String(start / 100).padStart(2, '0')}`;
    const lines = [`  - id: ${category}`, `    label: Category ${category}`, '    codes:'];
    for (let index = start; index < Math.min(codes, start + 100); index++)
      lines.push(
        `      - id: ${manyCodeId(index)}`,
        `        label: Code number ${index} of a large codebook`,
        `        definition: Statements about topic ${index}.`,
      );
    categories.push(lines.join('\n'));
  }
  const codebook = `version: 1\nname: many\ncategories:\n${categories.join('\n')}\n`;
  const statements = ['id,text,actor,genre,date,role'];
  const a = ['unit_id,code'];
  const b = ['unit_id,code'];
  for (let unit = 1; unit <= units; unit++) {
    const day = String(1 + next(28)).padStart(2, '0');
    statements.push(
      `s${unit},Statement ${unit} on topic ${next(codes)} and its neighbours.,${actors[next(actors.length)]},${genres[next(genres.length)]},2026-0${1 + next(3)}-${day},${next(3) === 0 ? 'secondary' : 'primary'}`,
    );
    const given = new Set();
    const count = 1 + next(3);
    for (let pick = 0; pick < count; pick++) given.add(next(codes));
    for (const code of given) {
      a.push(`s${unit}:1,${manyCodeId(code)}`);
      b.push(`s${unit}:1,${manyCodeId(next(10) === 0 ? next(codes) : code)}`);
    }
  }
  return {
    'codebooks/codebook.yaml': codebook,
    'statements.csv': `${statements.join('\n')}\n`,
    'a.csv': `${a.join('\n')}\n`,
    'b.csv': `${b.join('\n')}\n`,
  };
}
