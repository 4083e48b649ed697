import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { loadApplyScript } from './apply-module';
import { EnvironmentsConfig } from '../../../src';

/** The environments config of a synthesized project: its files, as read back, and the requests its apply script would send. */

export const CONFIG = EnvironmentsConfig.CONFIG_PATH;
export const SCRIPT = EnvironmentsConfig.SCRIPT_PATH;

export function read(project: Project, file: string): string {
  return fs.readFileSync(path.join(project.outdir, file), 'utf-8');
}

export function synthConfig(project: Project): any {
  project.synth();
  return JSON.parse(read(project, CONFIG));
}

/** Every request the generated apply script would send for the project's file, with these ids. */
export function requestsOf(project: Project, ids: Record<string, number> = {}): Array<{ method: string; path: string; body?: any }> {
  const apply = loadApplyScript(path.join(project.outdir, SCRIPT));
  return apply.everyRequest(apply.readConfig(), 'acme', 'widget', ids);
}
