// One measured process of bench/synth-bench.ts: loads projen (and the library's lib/index.js, as
// the npm package ships it), builds one case's project, synthesizes it once and prints its phases
// (ms since the process started) and its peak RSS as one JSON line. Plain JavaScript, so that no
// TypeScript compiler is loaded into the process being measured.
'use strict';
const [kind, outdir, libDir] = process.argv.slice(2);
const { github, Project, python } = require('projen');
const projenLoaded = performance.now();
const lib = kind === 'bare' ? undefined : require(libDir);
const libLoaded = performance.now();

function pythonProject() {
  return new python.PythonProject({
    name: 'bench-pkg', moduleName: 'bench_pkg', authorName: 'Bench', authorEmail: 'bench@example.com',
    version: '0.1.0', outdir, venv: true, pip: true, setuptools: true,
  });
}

function build() {
  if (kind === 'bare') return pythonProject();
  if (kind === 'pipelines') {
    const project = pythonProject();
    new lib.PythonReleasePipeline(project, { distributionName: 'bench-pkg' });
    new lib.PypiPublishPipeline(project, { distributionName: 'bench-pkg' });
    return project;
  }
  const packages = Number(kind.replace('monorepo-', ''));
  const project = new Project({ name: 'bench-monorepo', outdir });
  new github.GitHub(project, { mergify: false, pullRequestLint: false });
  for (let i = 0; i < packages; i++) {
    const options = { distributionName: `pkg-${i}`, packageDir: `packages/pkg-${i}` };
    new lib.PythonReleasePipeline(project, options);
    new lib.PypiPublishPipeline(project, options);
  }
  return project;
}

if (kind === 'graph') {
  // The critical path of each workflow of a default project, from its construct tree.
  const project = pythonProject();
  const workflows = [
    new lib.PythonReleasePipeline(project, { distributionName: 'bench-pkg' }),
    new lib.PypiPublishPipeline(project, { distributionName: 'bench-pkg' }),
  ].map((wf) => ({
    fileName: wf.fileName,
    jobs: wf.jobs.length,
    criticalPath: lib.JobGraph.criticalPath?.(wf).map((j) => j.jobId),
  }));
  process.stdout.write(JSON.stringify({ workflows }) + '\n');
  process.exit(0);
}

const project = build();
const built = performance.now();
project.synth();
const synthesized = performance.now();
process.stdout.write(JSON.stringify({
  projenLoaded, libLoaded, built, synthesized,
  files: project.files.length,
  cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
  rssMB: process.resourceUsage().maxRSS / 1024,
  libModules: libDir ? Object.keys(require.cache).filter((m) => m.startsWith(require('path').dirname(libDir))).length : 0,
}) + '\n');
