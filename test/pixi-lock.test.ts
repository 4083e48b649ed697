import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PythonToolchain, PythonReleasePipeline } from '../src';
import { newProject, parseWorkflow, stepOf, synthWorkflows } from './helpers/project';

/** The validate job's pixi.lock check of a release pipeline with this pixi, run by bash on a lock file. */
function checkLock(pixiVersion: string | undefined, lock: string | undefined) {
  const project = newProject();
  new PythonReleasePipeline(project, { toolchain: PythonToolchain.pixi({ pixiVersion }) });
  const step = stepOf(parseWorkflow(synthWorkflows(project)['release.yml']), 'validate', 'pixi-lock');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-pixi-lock-'));
  try {
    if (lock !== undefined) fs.writeFileSync(path.join(dir, 'pixi.lock'), lock);
    const r = spawnSync('bash', ['-c', step.run!], { cwd: dir, env: { PATH: '/usr/bin:/bin', ...step.env }, encoding: 'utf-8' });
    return { status: r.status, out: r.stdout + r.stderr, env: step.env };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const lockOf = (format: number) => `version: ${format}\nenvironments:\n  default:\n    channels:\n    - url: https://conda.anaconda.org/conda-forge/\npackages: []\n`;

describe('the validate job refuses a pixi.lock the pinned pixi cannot read', () => {
  test('the default pixi (v0.77.0) reads format 7, which pixi >= 0.68 writes, and format 6', () => {
    expect(checkLock(undefined, lockOf(7))).toMatchObject({ status: 0, out: expect.stringContaining('pixi.lock: lock format 7, readable by pixi v0.77.0.') });
    expect(checkLock(undefined, lockOf(6)).status).toBe(0);
  });

  test('an older pinned pixi and a format-7 lock: refused before anything is built, naming the option and the version to pin', () => {
    const r = checkLock('v0.66.0', lockOf(7));
    expect(r.status).toBe(1);
    expect(r.out).toContain('::error title=pixi.lock::pixi.lock has lock format 7, but pixi v0.66.0 (the toolchain\'s pixiVersion) reads formats up to 6. Set pixiVersion to v0.68.0 or newer and run npx projen, or lock with the pinned pixi.');
    expect(r.env).toMatchObject({ MAX_LOCK_FORMAT: '6', NEWER_PIXI: 'v0.68.0' });
  });

  test('no pixi.lock, or one without a format: refused, saying what to do', () => {
    expect(checkLock(undefined, undefined).out).toContain('::error title=pixi.lock::pixi.lock is missing: the workflows install with locked: true. Run pixi lock and commit pixi.lock.');
    expect(checkLock(undefined, 'packages: []\n').out).toContain('has no lock format');
  });
});
