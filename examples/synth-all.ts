/**
 * The repository's main job (`npx projen example`): synthesizes every example project in
 * examples/ and lists the files it generated.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';

for (const name of fs.readdirSync(__dirname).sort()) {
  const dir = path.join(__dirname, name);
  if (!fs.existsSync(path.join(dir, '.projenrc.ts'))) continue;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createProject } = require(path.join(dir, '.projenrc.ts')) as { createProject: (outdir: string) => Project };
  const project = createProject(dir);
  // no post-synthesis steps (a Python project would install its dependencies)
  process.env.PROJEN_DISABLE_POST = 'true';
  project.synth();
  const where = path.relative(process.cwd(), dir);
  console.log(`\n${where}: synthesized`);
  for (const file of project.files.map((f) => f.path).filter((f) => fs.existsSync(path.join(dir, f))).sort()) {
    console.log(`  ${path.join(where, file)}`);
  }
}
