import { readFileSync } from 'node:fs';

/** The package version, read from package.json (found from dist/src or src alike). */
export const VERSION: string = (() => {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'suwinet-audit' && manifest.version) return manifest.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
})();
