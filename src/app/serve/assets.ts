/**
 * The pages of `coding serve`: a fixed list of files written for it (HTML, CSS, JavaScript), read
 * from `src/app/serve/static/` of the tool's own installation. Only names in this list are ever
 * served, so no request can reach any other file (no path is built from the URL).
 */
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** From `src/app/serve/` and from `dist/app/serve/` alike, the folder is three levels up, then down. */
const folder = new URL('../../../src/app/serve/static/', import.meta.url);

const types = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
} as const;

/** The assets by the name they are requested with. */
export const assetNames = [
  'code.html',
  'adjudicate.html',
  'style.css',
  'shared.js',
  'code.js',
  'adjudicate.js',
] as const;
export type AssetName = (typeof assetNames)[number];

export interface Asset {
  type: string;
  body: Buffer;
}

const cache = new Map<AssetName, Asset>();

export function isAssetName(name: string): name is AssetName {
  return (assetNames as readonly string[]).includes(name);
}

/** An asset's content (read once, then kept). */
export async function asset(name: AssetName): Promise<Asset> {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const extension = name.slice(name.lastIndexOf('.') + 1) as keyof typeof types;
  const body = await fs.readFile(fileURLToPath(new URL(name, folder)));
  const loaded = { type: types[extension], body };
  cache.set(name, loaded);
  return loaded;
}

/** Read every asset now, so that a broken installation fails at the start, not on the first page. */
export async function loadAssets(): Promise<void> {
  await Promise.all(assetNames.map((name) => asset(name)));
}
