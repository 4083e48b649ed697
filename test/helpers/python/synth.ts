import * as fs from 'fs';
import * as path from 'path';
import { NODE_BIN } from '../tools';
import { pythonEnv } from './env';
import { run } from './run';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** No post-synthesis steps (pip install into the generated project's venv): only the files. */
const SYNTH_ONLY = { PROJEN_DISABLE_POST: 'true' };

/** Synthesizes a `.projenrc.py` in `dir` as projen's default task does: `python .projenrc.py`. */
export async function synthPython(python: string, projenrc: string, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(projenrc, path.join(dir, '.projenrc.py'));
  await run(python, ['.projenrc.py'], { cwd: dir, env: pythonEnv(SYNTH_ONLY) });
}

/**
 * Synthesizes a `.projenrc.ts` in `dir` with ts-node (type-checked, with the tsconfig.json beside
 * it), as a TypeScript consumer would: its node_modules holds the library installed from
 * `tarball` (its npm package) beside this repository's projen and constructs.
 */
export async function synthTypeScript(tarball: string, projenrc: string, dir: string): Promise<void> {
  const modules = path.join(dir, 'node_modules');
  const library = path.join(modules, 'projen-pypi-pipelines');
  fs.mkdirSync(library, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', library, '--strip-components=1'], { cwd: dir, env: process.env });
  for (const dep of ['projen', 'constructs']) fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(modules, dep));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  fs.copyFileSync(path.join(path.dirname(projenrc), 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  fs.copyFileSync(projenrc, path.join(dir, '.projenrc.ts'));
  await run(path.join(NODE_BIN, 'ts-node'), ['--project', 'tsconfig.json', '.projenrc.ts'], {
    cwd: dir, env: { ...process.env, ...SYNTH_ONLY },
  });
}
