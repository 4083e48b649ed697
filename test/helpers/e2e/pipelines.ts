import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { PythonReleasePipeline, PythonReleasePipelineOptions, PythonToolchain, ToolchainCommands } from '../../../src';
import { newProject, parseWorkflow, synthWorkflows, Workflow } from '../project';
import { havePythonModule, haveTool, tool, TOOLS_PYTHON } from '../tools';

/**
 * The build the tests use instead of the toolchain's (`pixi run build` is not available here):
 * `python -m build` of the tools environment, without isolation, so the pinned current backends
 * (hatchling, setuptools, uv_build, poetry-core) build it.
 */
export const TOOLS_BUILD = `${TOOLS_PYTHON} -m build --no-isolation`;

/** The tools the end-to-end tests run for real. */
export const E2E_TOOLS: Record<string, boolean> = {
  'git': haveTool('git'),
  'bash': haveTool('bash'),
  'git-cliff (tools)': haveTool(tool('git-cliff')),
  'uv (tools)': haveTool(tool('uv')),
  'build (tools)': havePythonModule('build'),
  'twine (tools)': haveTool(tool('twine')),
  'hatchling (tools)': havePythonModule('hatchling'),
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

/**
 * The toolchain the end-to-end tests release with: uv, with its real default commands (`uv version`
 * updates pyproject.toml and uv.lock, `uv build --no-sources` builds), run by the tools
 * environment's uv; other commands replaceable.
 */
export function testToolchain(commands: ToolchainCommands = {}): PythonToolchain {
  return PythonToolchain.uv({ commands });
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
