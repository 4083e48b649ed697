import { createRequire } from 'module';
import * as path from 'path';

/** What the generated apply script exports when it is required instead of run. */
export interface ApplyModule {
  /** Its allow-list of endpoints. */
  readonly ENDPOINTS: Record<string, { method: string; path: string }>;
  /** The checked content of the environments.json next to the script. */
  readConfig(): any;
  /** Every request the script can send for `config` (ids: "user LOGIN", "team ORG/SLUG", "app SLUG"). */
  everyRequest(config: any, owner: string, repo: string, ids: Record<string, number>): Array<{ method: string; path: string; body?: any }>;
  /** The trusted publisher instructions it prints. */
  trustedPublisherLines(environments: any[], owner: string, repo: string): string[];
  /** Its escaping of control characters. */
  esc(value: string): string;
}

/**
 * Loads a generated apply.cjs as a module with node's own require (not jest's registry), so the
 * tests exercise the very text that is committed. Each call loads it afresh.
 */
export function loadApplyScript(script: string): ApplyModule {
  const req = createRequire(__filename);
  const file = path.resolve(script);
  delete req.cache[file];
  return req(file) as ApplyModule;
}
