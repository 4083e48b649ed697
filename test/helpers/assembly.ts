import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
/** The jsii assembly `npx projen compile` writes. */
export const ASSEMBLY = path.join(ROOT, '.jsii');

/** Whether the assembly exists and is newer than every file in src/ (so that it describes them). */
export function assemblyIsFresh(): boolean {
  if (!fs.existsSync(ASSEMBLY)) return false;
  const newest = (dir: string): number => Math.max(...fs.readdirSync(dir, { withFileTypes: true }).map((e) =>
    e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs));
  return fs.statSync(ASSEMBLY).mtimeMs >= newest(path.join(ROOT, 'src'));
}

/** The requirement text and check, for describeWithTools. */
export const FRESH_ASSEMBLY = { 'a compiled jsii assembly (.jsii) newer than src/ (run `npx projen compile`)': assemblyIsFresh() };
