import * as fs from 'fs';
import * as path from 'path';
import { NODE_BIN, TOOLS_PYTHON } from '../tools';
import { pythonEnv } from './env';
import { run } from './run';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** 1980-01-01, the earliest time a zip entry can carry: the wheel's bytes depend on its content only. */
const SOURCE_DATE_EPOCH = '315532800';

/**
 * Builds the Python package as `npx projen package:python` does (jsii-pacmak --target python,
 * which installs setuptools and build from PyPI), from lib/ and .jsii as they are, into `outDir`,
 * and returns the wheel's path. The build is reproducible, so the wheel's hash names its content.
 */
export async function buildWheel(outDir: string): Promise<string> {
  await run(path.join(NODE_BIN, 'jsii-pacmak'), ['--target', 'python', '--outdir', outDir], {
    cwd: ROOT, env: pythonEnv({ SOURCE_DATE_EPOCH }), timeoutMs: 600_000,
  });
  const dir = path.join(outDir, 'python');
  const wheels = fs.readdirSync(dir).filter((f) => f.endsWith('.whl'));
  if (wheels.length !== 1) throw new Error(`jsii-pacmak wrote ${wheels.length} wheels to ${dir}: ${wheels.join(', ')}`);
  return path.join(dir, wheels[0]);
}

/**
 * Extracts the npm tarball that the wheel carries (the library the Python package runs in node)
 * into `dest` and returns its path, so that TypeScript can run the very same build.
 */
export async function tarballInWheel(wheel: string, dest: string): Promise<string> {
  const script = [
    'import sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    "names = [n for n in z.namelist() if n.endswith('.jsii.tgz')]",
    "assert len(names) == 1, f'the wheel carries {names}, not one npm tarball'",
    "open(sys.argv[2], 'wb').write(z.read(names[0]))",
  ].join('\n');
  const tarball = path.join(dest, 'library.tgz');
  await run(TOOLS_PYTHON, ['-c', script, wheel, tarball], { cwd: dest, env: pythonEnv() });
  return tarball;
}
