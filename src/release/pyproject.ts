import { existsSync, readFileSync } from 'fs';

/** What the pipelines read of a pyproject.toml at synth (a plain line reader: no TOML library). */
export interface PyprojectFacts {
  /** `[project].name`, when written as a plain string. */
  readonly name?: string;
  /** `[project].version`, when static. */
  readonly version?: string;
  /** `[project].dynamic`, when written on one line. */
  readonly dynamic: string[];
  /** `[build-system].build-backend`. */
  readonly buildBackend?: string;
}

/** The facts of a pyproject.toml, or undefined when the file does not exist. */
export function readPyproject(file: string): PyprojectFacts | undefined {
  if (!existsSync(file)) return undefined;
  let table = '';
  const found: { name?: string; version?: string; dynamic: string[]; buildBackend?: string } = { dynamic: [] };
  for (const line of readFileSync(file, 'utf-8').split(/\r?\n/)) {
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
    if (header) {
      table = header[1];
      continue;
    }
    const value = /^\s*([A-Za-z-]+)\s*=\s*(.*?)\s*(#.*)?$/.exec(line);
    if (!value) continue;
    const [, key, raw] = value;
    const text = /^(["'])(.*)\1$/.exec(raw)?.[2];
    if (table === 'project' && key === 'name' && text) found.name = text;
    if (table === 'project' && key === 'version' && text) found.version = text;
    if (table === 'project' && key === 'dynamic') found.dynamic = [...raw.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]);
    if (table === 'build-system' && key === 'build-backend' && text) found.buildBackend = text;
  }
  return found;
}
