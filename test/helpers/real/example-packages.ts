import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TOOLS_PYTHON } from '../tools';

/** test/fixtures: small real Python packages, one per toolchain. */
export const FIXTURES_DIR = path.resolve(__dirname, '..', '..', 'fixtures');

/** One example package under test/fixtures. */
export interface ExamplePackage {
  /** Directory under test/fixtures. */
  readonly fixture: string;
  /** Distribution name (pyproject `[project].name`). */
  readonly name: string;
  /** The file-name form of the name in wheels and sdists (`example_uv`). */
  readonly fileName: string;
  /** The build backend its pyproject.toml names. */
  readonly backend: string;
  /** Its version as committed. */
  readonly version: string;
}

/**
 * The example packages, one per toolchain that runs for real, each built with that toolchain's
 * usual backend: uv (uv_build, with uv.lock), poetry (poetry-core, with poetry.lock), hatch
 * (hatchling, `hatch new` layout with `types` and `security` environments) and pip (setuptools,
 * a `dev` extra). Each has `src/<module>` and a pytest suite.
 */
export const EXAMPLE_PACKAGES = {
  uv: { fixture: 'uv-project', name: 'example-uv', fileName: 'example_uv', backend: 'uv_build', version: '0.1.0' },
  poetry: { fixture: 'poetry-project', name: 'example-poetry', fileName: 'example_poetry', backend: 'poetry-core', version: '0.1.0' },
  hatch: { fixture: 'hatch-project', name: 'example-hatch', fileName: 'example_hatch', backend: 'hatchling', version: '0.1.0' },
  pip: { fixture: 'pip-project', name: 'example-pip', fileName: 'example_pip', backend: 'setuptools', version: '0.1.0' },
} satisfies { [toolchain: string]: ExamplePackage };

/** Copies an example package into `dest` (which must not exist) and returns `dest`. */
export function copyExample(pkg: ExamplePackage, dest: string): string {
  fs.cpSync(path.join(FIXTURES_DIR, pkg.fixture), dest, { recursive: true });
  return dest;
}

/** What a built distribution's metadata says. */
export interface DistMetadata {
  readonly file: string;
  readonly metadataVersion: string;
  readonly name: string;
  readonly version: string;
}

const READ_METADATA = `
import email, json, sys, tarfile, zipfile
out = []
for f in sys.argv[1:]:
    if f.endswith(".whl"):
        with zipfile.ZipFile(f) as z:
            text = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode()
    else:
        with tarfile.open(f) as t:
            member = next(m for m in t.getmembers() if m.name.count("/") == 1 and m.name.endswith("/PKG-INFO"))
            text = t.extractfile(member).read().decode()
    m = email.message_from_string(text)
    out.append({"file": f, "metadataVersion": m["Metadata-Version"], "name": m["Name"], "version": m["Version"]})
print(json.dumps(out))
`;

/** Reads Metadata-Version, Name and Version of wheels and sdists (with the tools env's python). */
export function readMetadata(files: string[]): DistMetadata[] {
  const r = spawnSync(TOOLS_PYTHON, ['-c', READ_METADATA, ...files], { encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`reading metadata of ${files.join(', ')} failed:\n${r.stdout}${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** A TOML file as JSON (python's tomllib). */
export function readToml(file: string): any {
  const r = spawnSync(TOOLS_PYTHON, ['-c', 'import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], "rb"))))', file], { encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`reading ${file} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The wheels and sdists in `dir` (full paths, sorted). */
export function distributions(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.whl') || f.endsWith('.tar.gz')).sort().map((f) => path.join(dir, f));
}
