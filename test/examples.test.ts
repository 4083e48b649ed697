import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { tempDir } from './helpers/project';

const EXAMPLES = path.resolve(__dirname, '..', 'examples');
const examples = fs.readdirSync(EXAMPLES).filter((d) => fs.existsSync(path.join(EXAMPLES, d, '.projenrc.ts')));

/** The workflows each example generates (an example added here needs its entry). */
const WORKFLOWS: Record<string, string[]> = {
  'cibuildwheel-extension': ['publish.yml', 'release.yml'],
  'maturin-bin': ['publish.yml', 'release.yml'],
  'monorepo': ['publish-acme-alpha.yml', 'publish-acme-beta.yml', 'release-acme-alpha.yml', 'release-acme-beta.yml'],
  'org-preset': ['publish.yml', 'release.yml'],
  'pixi-project': ['publish.yml', 'release.yml'],
  'python-project': ['publish.yml', 'release.yml'],
};

describe.each(examples)('examples/%s', (name) => {
  const dir = path.join(EXAMPLES, name);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createProject } = require(path.join(dir, '.projenrc.ts')) as { createProject: (outdir: string) => Project };
  const outdir = tempDir(`ppp-example-${name}-`);
  // Copy the hand-written sources, so that synthesis sees what the committed example has.
  fs.cpSync(dir, outdir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.projen`) });
  const project = createProject(outdir);
  // no post-synthesis steps (a Python project would install its dependencies)
  process.env.PROJEN_DISABLE_POST = 'true';
  project.synth();
  // (files projen leaves empty, such as an empty deps.json, are not written)
  const generated = project.files.map((f) => f.path).filter((f) => fs.existsSync(path.join(outdir, f))).sort();

  test('generates a release and a publish workflow per package', () => {
    expect(generated.filter((f) => f.startsWith('.github/workflows/'))).toEqual(WORKFLOWS[name].map((f) => `.github/workflows/${f}`));
  });

  test.each(generated)('committed %s is up to date (run `npx projen example` to refresh)', (file) => {
    const committed = path.join(dir, file);
    expect(fs.existsSync(committed)).toBe(true);
    expect(fs.readFileSync(committed, 'utf-8')).toBe(fs.readFileSync(path.join(outdir, file), 'utf-8'));
  });

  test('no stale generated file is left behind', () => {
    const listed: string[] = JSON.parse(fs.readFileSync(path.join(dir, '.projen', 'files.json'), 'utf-8')).files;
    expect(listed.filter((f) => fs.existsSync(path.join(outdir, f))).sort()).toEqual(generated);
    for (const file of listed) {
      if (!generated.includes(file)) expect(fs.existsSync(path.join(dir, file))).toBe(false);
    }
  });
});
