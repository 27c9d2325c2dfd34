/**
 * Saved web pages (`.html`, `.htm`): the main text of the page, found by Mozilla's Readability (the
 * library of Firefox's Reader View) on a light DOM (linkedom, no browser engine, no script ever
 * run), so menus, footers, share buttons and related links are left out. `<script>`, `<style>`,
 * `<noscript>` and `<template>` are removed before anything else. Title, author, date, canonical
 * URL and language come from the page's metadata: JSON-LD (`NewsArticle` and its kin), Open Graph
 * and `article:` properties, `<meta name>`, `<link rel="canonical">` and `<html lang>`, in that
 * order of preference.
 */
import { InputError } from '../../errors.js';

export interface HtmlContent {
  /** Paragraphs (block elements of the main text) separated by a blank line. */
  text: string;
  info: { title?: string; author?: string; date?: string; url?: string; language?: string; source?: string };
}

/** Elements of the article that start a paragraph of their own. */
const blockTags = new Set([
  'P',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'LI',
  'BLOCKQUOTE',
  'PRE',
  'FIGCAPTION',
  'TD',
  'TH',
  'DT',
  'DD',
  'DIV',
  'SECTION',
  'ARTICLE',
  'TABLE',
  'TR',
  'UL',
  'OL',
  'DL',
  'HEADER',
  'FIGURE',
]);

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

/** The text of an element, one paragraph per block element, inline white space collapsed. */
function blockText(root: DomNode): string[] {
  const paragraphs: string[] = [];
  let current = '';
  const flush = (): void => {
    const text = current.replace(/\s+/g, ' ').trim();
    if (text !== '') paragraphs.push(text);
    current = '';
  };
  const visit = (node: DomNode): void => {
    if (node.nodeType === 3) {
      current += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== 1) return;
    if (node.nodeName === 'BR') {
      current += ' ';
      return;
    }
    const block = blockTags.has(node.nodeName);
    if (block) flush();
    for (let index = 0; index < node.childNodes.length; index++) visit(node.childNodes[index]!);
    if (block) flush();
  };
  visit(root);
  flush();
  return paragraphs;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const articleTypes =
  /^(NewsArticle|Article|ReportageNewsArticle|AnalysisNewsArticle|BlogPosting|Report|WebPage|PressRelease|OpinionNewsArticle)$/;

/** The JSON-LD objects of the page, @graph arrays flattened. */
function jsonLdObjects(scripts: string[]): Array<Record<string, Json>> {
  const objects: Array<Record<string, Json>> = [];
  const collect = (value: Json): void => {
    if (Array.isArray(value)) for (const item of value) collect(item);
    else if (value !== null && typeof value === 'object') {
      objects.push(value);
      if (value['@graph'] !== undefined) collect(value['@graph']);
    }
  };
  for (const script of scripts) {
    try {
      collect(JSON.parse(script) as Json);
    } catch {
      // A broken JSON-LD block is ignored: the other sources of metadata still count.
    }
  }
  return objects;
}

function jsonText(value: Json | undefined): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (Array.isArray(value)) {
    const names = value.map(jsonText).filter((name): name is string => name !== undefined);
    return names.length > 0 ? names.join('; ') : undefined;
  }
  if (value !== null && typeof value === 'object')
    return jsonText(value['name'] ?? value['@id'] ?? value['url']);
  return undefined;
}

/** An ISO date-time as the date alone when it has a time ("2026-01-30T14:05:00-05:00" → "2026-01-30"). */
function isoDay(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
  return match ? match[1] : undefined;
}

interface QueryDocument {
  querySelectorAll(
    selector: string,
  ): ArrayLike<{ getAttribute(name: string): string | null; textContent: string | null; remove(): void }>;
  querySelector(
    selector: string,
  ): { getAttribute(name: string): string | null; textContent: string | null } | null;
  documentElement: { getAttribute(name: string): string | null } | null;
}

/** Class names of advertisements and of the byline line, which Readability keeps when the page's metadata names the author. */
const clutterClass =
  /^(?:ad|ads|advert|advertisement|ad-slot|ad-container|sponsored|promo|byline|dateline)$/i;

/** Remove hidden elements, advertisements and byline lines before Readability looks at the page. */
function removeClutter(document: QueryDocument): void {
  for (const element of Array.from(document.querySelectorAll('[hidden], [aria-hidden="true"], [class]'))) {
    const classes = (element.getAttribute('class') ?? '').split(/\s+/);
    const hidden = element.getAttribute('hidden') !== null || element.getAttribute('aria-hidden') === 'true';
    const clutter =
      classes.some((name) => clutterClass.test(name)) && (element.textContent ?? '').length < 300;
    if (hidden || clutter) element.remove();
  }
}

function pageInfo(document: QueryDocument): HtmlContent['info'] {
  const meta = (attribute: string, ...names: string[]): string | undefined => {
    for (const name of names) {
      const value = document.querySelector(`meta[${attribute}="${name}"]`)?.getAttribute('content')?.trim();
      if (value) return value;
    }
    return undefined;
  };
  const scripts = Array.from(document.querySelectorAll('script[type="application/ld+json"]')).map(
    (script) => script.textContent ?? '',
  );
  const article = jsonLdObjects(scripts).find((object) =>
    articleTypes.test(String(jsonText(object['@type']) ?? '')),
  );
  const ld = (key: string): string | undefined => (article ? jsonText(article[key]) : undefined);
  const mainEntity = article?.['mainEntityOfPage'];
  const title =
    ld('headline') ??
    meta('property', 'og:title') ??
    meta('name', 'twitter:title') ??
    document.querySelector('title')?.textContent?.replace(/\s+/g, ' ').trim();
  const author =
    ld('author') ?? meta('name', 'author', 'article:author', 'byl') ?? meta('property', 'article:author');
  const date = isoDay(
    ld('datePublished') ??
      meta('property', 'article:published_time') ??
      meta('name', 'date', 'pubdate', 'publish-date', 'dcterms.date', 'DC.date') ??
      document.querySelector('time[datetime]')?.getAttribute('datetime') ??
      undefined,
  );
  const url =
    (typeof mainEntity === 'string' ? mainEntity : jsonText(mainEntity ?? undefined)) ??
    ld('url') ??
    document.querySelector('link[rel="canonical"]')?.getAttribute('href')?.trim() ??
    meta('property', 'og:url');
  const language =
    ld('inLanguage') ??
    document.documentElement?.getAttribute('lang')?.trim() ??
    meta('http-equiv', 'content-language');
  const source = jsonText(article?.['publisher']) ?? meta('property', 'og:site_name');
  const info: HtmlContent['info'] = {};
  if (title) info.title = title;
  if (author) info.author = author;
  if (date) info.date = date;
  if (url) info.url = url;
  if (language) info.language = language;
  if (source) info.source = source;
  return info;
}

/**
 * The main text and metadata of a saved web page.
 * @throws InputError when the page has no main text
 */
export async function readHtml(html: string, shownAs: string): Promise<HtmlContent> {
  const [{ parseHTML }, { Readability }] = await Promise.all([
    import('linkedom'),
    import('@mozilla/readability'),
  ]);
  const { document } = parseHTML(html);
  const info = pageInfo(document as unknown as QueryDocument);
  const query = document as unknown as QueryDocument;
  for (const element of Array.from(
    query.querySelectorAll('script, style, noscript, template, iframe, object, embed'),
  ))
    element.remove();
  removeClutter(query);
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
    keepClasses: false,
  }).parse();
  const paragraphs = article?.content
    ? blockText(parseHTML(`<html><body>${article.content}</body></html>`).document.body as unknown as DomNode)
    : [];
  // Readability's title of the page repeats the headline; drop it when it opens the text.
  if (paragraphs.length > 0 && info.title !== undefined && paragraphs[0] === info.title) paragraphs.shift();
  const words = paragraphs
    .join(' ')
    .split(/\s+/)
    .filter((word) => /\p{L}/u.test(word)).length;
  if (paragraphs.length === 0 || words < 5) {
    throw new InputError('the page has no main text: nothing but menus, links or scripts was found', {
      location: { file: shownAs },
      hint: 'save the page once its article has loaded (File › Save Page As, "Web Page, complete"), or copy its text into a .txt file.',
    });
  }
  if (!info.title && article?.title) info.title = article.title.trim();
  if (!info.author && article?.byline) info.author = article.byline.replace(/^\s*(by|por)\s+/i, '').trim();
  if (!info.language && article?.lang) info.language = article.lang;
  return { text: paragraphs.join('\n\n'), info };
}
