import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { PythonReleasePipeline, PythonReleasePipelineOptions, PythonToolchain, ToolchainCommands } from '../../../src';
import { newProject, parseWorkflow, synthWorkflows, Workflow } from '../project';
import { havePythonModule, haveTool, NODE_BIN, SYSTEM_PYTHON } from '../tools';

/**
 * The build the tests use instead of the toolchain's (`pixi run build` is not available here):
 * Debian's python3-build without isolation (no PyPI) and without its dependency check (Debian's
 * hatchling lacks the `editables` requirement it declares).
 */
export const DEBIAN_BUILD = `${SYSTEM_PYTHON} -m build --no-isolation --skip-dependency-check`;

/** The tools the end-to-end tests run for real. */
export const E2E_TOOLS: Record<string, boolean> = {
  'git': haveTool('git'),
  'bash': haveTool('bash'),
  'git-cliff (node_modules/.bin)': haveTool(path.join(NODE_BIN, 'git-cliff')),
  'python3-build': havePythonModule('build'),
  'twine (Debian)': haveTool('/usr/bin/twine'),
  'python3-hatchling': havePythonModule('hatchling'),
  'sha256sum': haveTool('sha256sum'),
};

/** A synthesized release pipeline. */
export interface SynthesizedRelease {
  readonly project: Project;
  readonly pipeline: PythonReleasePipeline;
  readonly text: string;
  readonly wf: Workflow;
  /** The generated git-cliff config (committed into the sample repositories). */
  readonly cliffToml: string;
}

/** A pixi toolchain whose build is Debian's (see `DEBIAN_BUILD`), other commands replaceable. */
export function testToolchain(commands: ToolchainCommands = {}): PythonToolchain {
  return PythonToolchain.pixi({ commands: { buildDistributions: DEBIAN_BUILD, ...commands } });
}

/**
 * Synthesizes release.yml. `extend` runs before synthesis (e.g. to add a `ReleaseRehearsal`).
 */
export function synthRelease(options: PythonReleasePipelineOptions = {}, extend?: (pipeline: PythonReleasePipeline) => void): SynthesizedRelease {
  const project = newProject('sample-pkg');
  const pipeline = new PythonReleasePipeline(project, { toolchain: testToolchain(), ...options });
  extend?.(pipeline);
  const files = synthWorkflows(project);
  const text = files[pipeline.fileName];
  return {
    project,
    pipeline,
    text,
    wf: parseWorkflow(text),
    cliffToml: fs.readFileSync(path.join(project.outdir, pipeline.changelogConfig.configPath), 'utf-8'),
  };
}
