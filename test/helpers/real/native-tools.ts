import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TOOLS_PYTHON } from '../tools';

/** The machine's cargo (rustup puts it in ~/.cargo/bin, which is not on every PATH), or undefined. */
export function cargoBinDir(): string | undefined {
  const candidates = [...(process.env.PATH ?? '').split(':'), path.join(process.env.HOME ?? '/root', '.cargo', 'bin'), '/root/.cargo/bin', '/usr/local/cargo/bin'];
  const dir = candidates.find((d) => d && fs.existsSync(path.join(d, 'cargo')));
  return dir;
}

/**
 * What rustup's cargo needs when a test gives it another HOME: the toolchains' RUSTUP_HOME (it is
 * only read), and a CARGO_HOME of the test's own under `dir` (no crate is downloaded).
 */
export function rustEnv(dir: string): Record<string, string> {
  const cargo = cargoBinDir();
  const rustup = process.env.RUSTUP_HOME ?? (cargo ? path.join(path.dirname(path.dirname(cargo)), '.rustup') : '');
  return { ...(rustup && fs.existsSync(rustup) ? { RUSTUP_HOME: rustup } : {}), CARGO_HOME: path.join(dir, 'cargo-home') };
}

/** Python: writes a wheel `argv[2]` (its file name gives the tags) of `argv[1]` version `argv[3]` into `argv[4]`. */
export const MAKE_WHEEL = [
  'import base64, hashlib, os, sys, zipfile',
  'dist, filename, version, out = sys.argv[1:5]',
  'py, abi, plat = filename[:-4].split("-")[-3:]',
  'info = f"{dist.replace(\'-\', \'_\')}-{version}.dist-info"',
  'files = {',
  '    f"{info}/METADATA": f"Metadata-Version: 2.1\\nName: {dist}\\nVersion: {version}\\nSummary: a stand-in\\nDescription-Content-Type: text/markdown\\n\\nA stand-in wheel.\\n",',
  '    f"{info}/WHEEL": "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: false\\n" + "".join(f"Tag: {x}-{y}-{z}\\n" for x in py.split(".") for y in abi.split(".") for z in plat.split(".")),',
  '}',
  'record = "".join(f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(t.encode()).digest()).rstrip(b\'=\').decode()},{len(t.encode())}\\n" for n, t in files.items()) + f"{info}/RECORD,,\\n"',
  'with zipfile.ZipFile(os.path.join(out, filename), "w") as z:',
  '    for n, t in {**files, f"{info}/RECORD": record}.items():',
  '        z.writestr(n, t)',
].join('\n');

/**
 * Writes a stand-in for a wheel another runner builds: `filename` (its tags as cibuildwheel or
 * maturin name them) with valid METADATA, WHEEL and RECORD for `dist` `version`, into `dir`.
 */
export function makeStandInWheel(dist: string, filename: string, version: string, dir: string): string {
  const r = spawnSync(TOOLS_PYTHON, ['-c', MAKE_WHEEL, dist, filename, version, dir], { encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`making ${filename} failed:\n${r.stderr}`);
  return path.join(dir, filename);
}
