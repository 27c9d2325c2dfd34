/** The tool's version, from package.json, recorded in reports and manifests. */
import { readFileSync } from 'node:fs';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const toolVersion: string = packageJson.version;
