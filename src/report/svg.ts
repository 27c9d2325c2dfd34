/**
 * Small helpers for hand-written HTML and SVG: escaping, fixed number formats (never "NaN"), colours,
 * and label widths estimated without a browser. Everything is deterministic: no locale, no random ids.
 */

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text made safe for HTML and SVG text and attribute values: the five markup characters as
 * entities, and control characters (not allowed in HTML) as U+FFFD.
 *
 * @example escapeHtml('<b class="x">&</b>') // '&lt;b class=&quot;x&quot;&gt;&amp;&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"']/g, (character) => entities[character]!)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD');
}

/** Shown in place of a missing number. */
export const missing = '—';

/**
 * A number with a fixed count of decimals; "—" for null, undefined or a non-finite value, and
 * "0.000" rather than "-0.000".
 *
 * @example fixed(0.86994, 3) // '0.870'
 */
export function fixed(value: number | null | undefined, decimals = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return missing;
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/**
 * A share (0..1) as a percentage with one decimal and a no-break space.
 *
 * @example percent(0.0982) // '9.8 %'
 */
export function percent(share: number | null | undefined): string {
  const text = fixed(share === null || share === undefined ? share : share * 100, 1);
  return text === missing ? text : `${text}\u00a0%`;
}

/**
 * A whole number with thousands separated by commas, whatever the locale.
 *
 * @example count(1234567) // '1,234,567'
 */
export function count(value: number): string {
  if (!Number.isFinite(value)) return missing;
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** An SVG coordinate: one decimal at most, so the output stays short and stable. */
export function coordinate(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/**
 * The width of a label in a sans-serif font, estimated from character classes (there is no
 * browser to measure it); generous, so that labels cut with `fitText` do not overflow.
 */
export function textWidth(text: string, fontSize: number): number {
  let width = 0;
  for (const character of text) {
    if (" .,:;'|!()[]ijlftrI".includes(character)) width += 0.32;
    else if ('mwMW@%—'.includes(character)) width += 0.88;
    else if (character >= 'A' && character <= 'Z') width += 0.68;
    else if (character >= '0' && character <= '9') width += 0.58;
    else width += 0.56;
  }
  return width * fontSize;
}

/** The label, cut with an ellipsis when it would be wider than `maxWidth`. */
export function fitText(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const characters = [...text];
  while (characters.length > 1 && textWidth(`${characters.join('').trimEnd()}…`, fontSize) > maxWidth)
    characters.pop();
  return `${characters.join('').trimEnd()}…`;
}

/** Words of a label on at most `maxLines` lines of `maxWidth`; the last line cut with an ellipsis. */
export function wrapText(text: string, maxWidth: number, fontSize: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  const words = text.split(/\s+/).filter((word) => word !== '');
  for (const [index, word] of words.entries()) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (textWidth(candidate, fontSize) <= maxWidth || line === '') {
      line = candidate;
      continue;
    }
    if (lines.length === maxLines - 1) {
      lines.push(fitText(`${line} ${words.slice(index).join(' ')}`, maxWidth, fontSize));
      return lines;
    }
    lines.push(line);
    line = word;
  }
  if (line !== '') lines.push(lines.length === maxLines - 1 ? fitText(line, maxWidth, fontSize) : line);
  return lines.map((entry) => fitText(entry, maxWidth, fontSize));
}

/** Tableau 10: distinct colours for codes whose codebook gives none. */
export const palette = [
  '#4E79A7',
  '#F28E2B',
  '#E15759',
  '#76B7B2',
  '#59A14F',
  '#EDC948',
  '#B07AA1',
  '#FF9DA7',
  '#9C755F',
  '#BAB0AC',
] as const;

/** A codebook colour when it is a plain hex colour (#rgb or #rrggbb), else undefined. */
export function safeColor(color: string | undefined): string | undefined {
  return color !== undefined && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(color)
    ? color.toUpperCase()
    : undefined;
}

function channels(hex: string): [number, number, number] {
  const digits = hex.slice(1);
  const full = digits.length === 3 ? [...digits].map((digit) => digit + digit).join('') : digits;
  return [0, 2, 4].map((start) => Number.parseInt(full.slice(start, start + 2), 16)) as [
    number,
    number,
    number,
  ];
}

function toHex(values: number[]): string {
  return `#${values
    .map((value) =>
      Math.round(Math.min(255, Math.max(0, value)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')
    .toUpperCase()}`;
}

/** Black or white, whichever reads better on the colour (WCAG relative luminance). */
export function textColorOn(hex: string): string {
  const [red, green, blue] = channels(hex).map((value) => {
    const channel = value / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue;
  return luminance > 0.23 ? '#000000' : '#FFFFFF';
}

/** The colour mixed with white: `amount` 0 keeps it, 1 gives white. */
export function lighten(hex: string, amount: number): string {
  return toHex(channels(hex).map((value) => value + (255 - value) * amount));
}

/** ColorBrewer "Blues" (9 classes), light to dark: the sequential scale of the heat map. */
const blues = [
  '#F7FBFF',
  '#DEEBF7',
  '#C6DBEF',
  '#9ECAE1',
  '#6BAED6',
  '#4292C6',
  '#2171B5',
  '#08519C',
  '#08306B',
];

/** A colour on the Blues scale for a value in 0..1 (linear between the nine classes). */
export function sequentialBlue(value: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
  const position = clamped * (blues.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(blues.length - 1, lower + 1);
  const fraction = position - lower;
  const from = channels(blues[lower]!);
  const to = channels(blues[upper]!);
  return toHex(from.map((channel, index) => channel + (to[index]! - channel) * fraction));
}

/** Round tick values from 0 to at least `max`, about `target` of them. */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / target;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10]
    .map((factor) => factor * magnitude)
    .find((candidate) => candidate >= rough)!;
  const ticks: number[] = [];
  for (let tick = 0; tick < max + step / 2; tick += step) ticks.push(Math.round(tick * 1e9) / 1e9);
  if (ticks[ticks.length - 1]! < max) ticks.push(Math.round((ticks[ticks.length - 1]! + step) * 1e9) / 1e9);
  return ticks;
}

/** Code-point order, the same on every machine (no locale). */
export function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * An accessible inline SVG chart: role="img", labelled by its <title> and described by its <desc>,
 * scaled by CSS from its viewBox.
 */
export function svgChart(options: {
  id: string;
  width: number;
  height: number;
  title: string;
  description: string;
  body: string;
}): string {
  const { id, width, height } = options;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" id="${escapeHtml(id)}" class="chart" viewBox="0 0 ${coordinate(width)} ${coordinate(height)}" ` +
    `width="${coordinate(width)}" height="${coordinate(height)}" role="img" aria-labelledby="${escapeHtml(id)}-title ${escapeHtml(id)}-desc">` +
    `<title id="${escapeHtml(id)}-title">${escapeHtml(options.title)}</title>` +
    `<desc id="${escapeHtml(id)}-desc">${escapeHtml(options.description)}</desc>\n${options.body}</svg>`
  );
}

/** Attributes as written in an element: numbers through `coordinate`, text escaped. */
function svgAttributes(attributes: Record<string, string | number>): string {
  return Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${typeof value === 'number' ? coordinate(value) : escapeHtml(value)}"`)
    .join('');
}

/** An SVG <text> element; `attributes` are written as given (numbers through `coordinate`). */
export function svgText(
  x: number,
  y: number,
  text: string,
  attributes: Record<string, string | number> = {},
  tooltip?: string,
): string {
  const extra = svgAttributes(attributes);
  const title = tooltip !== undefined && tooltip !== text ? `<title>${escapeHtml(tooltip)}</title>` : '';
  return `<text x="${coordinate(x)}" y="${coordinate(y)}"${extra}>${title}${escapeHtml(text)}</text>`;
}

/** An SVG <rect>, optionally with a tooltip. */
export function svgRect(
  x: number,
  y: number,
  width: number,
  height: number,
  attributes: Record<string, string | number> = {},
  tooltip?: string,
): string {
  const extra = svgAttributes(attributes);
  const open = `<rect x="${coordinate(x)}" y="${coordinate(y)}" width="${coordinate(Math.max(0, width))}" height="${coordinate(Math.max(0, height))}"${extra}`;
  return tooltip === undefined ? `${open}/>` : `${open}><title>${escapeHtml(tooltip)}</title></rect>`;
}

/** An SVG <line>. */
export function svgLine(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  attributes: Record<string, string | number> = {},
): string {
  const extra = svgAttributes(attributes);
  return `<line x1="${coordinate(x1)}" y1="${coordinate(y1)}" x2="${coordinate(x2)}" y2="${coordinate(y2)}"${extra}/>`;
}
