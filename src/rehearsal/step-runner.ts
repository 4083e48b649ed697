/**
 * The engine that runs workflow `run:` steps outside GitHub: the release rehearsal runs the release
 * job's steps with it on the user's machine, and the end-to-end tests run the synthesized
 * workflows with it. It is one self-contained function (node's standard library only) so that the
 * rehearsal script embeds exactly this code (`stepRunner.toString()`).
 */

import type { ExpressionContext, JobResult, RunJobOptions, StepResult, StepRunner } from './step-runner-types';

export type * from './step-runner-types';

/** Builds the engine. Self-contained: it must not reference anything outside its own body. */
export function stepRunner(): StepRunner {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cp: typeof import('child_process') = require('child_process');
  const fs: typeof import('fs') = require('fs');
  const nodePath: typeof import('path') = require('path');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const CONTEXTS = ['inputs', 'needs', 'steps', 'secrets', 'github', 'runner', 'env', 'matrix', 'vars'];
  const TOKEN = /\s*(?:(\|\||&&|==|!=|!|\(|\)|,)|'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)\b|([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*))/y;

  function asString(value: unknown): string {
    if (value === undefined || value === null) return '';
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  function truthy(value: unknown): boolean {
    return !(value === false || value === 0 || value === '' || value === null || value === undefined);
  }

  function evaluate(expression: string, context: ExpressionContext, failed = false): unknown {
    const tokens: Array<{ op?: string; str?: string; num?: string; name?: string }> = [];
    TOKEN.lastIndex = 0;
    const source = expression.trim();
    while (TOKEN.lastIndex < source.length) {
      const at = TOKEN.lastIndex;
      const m = TOKEN.exec(source);
      if (!m || m.index !== at) throw new Error(`unsupported expression: ${source}`);
      tokens.push(m[1] ? { op: m[1] } : m[2] !== undefined ? { str: m[2].replace(/''/g, "'") } : m[3] ? { num: m[3] } : { name: m[4] });
    }
    let i = 0;
    const peek = (op: string) => tokens[i]?.op === op;
    const expect = (op: string) => {
      if (!peek(op)) throw new Error(`expected "${op}" in expression: ${source}`);
      i++;
    };
    const lookup = (name: string): unknown => {
      const [root, ...rest] = name.split('.');
      if (!CONTEXTS.includes(root)) throw new Error(`unsupported context "${root}" in expression: ${source}`);
      let value: any = (context as any)[root] ?? {};
      for (const key of rest) value = value === undefined || value === null ? undefined : value[key];
      return value;
    };
    const call = (fn: string, args: unknown[]): unknown => {
      switch (fn) {
        case 'always': return true;
        case 'success': return !failed;
        case 'failure': return failed;
        case 'cancelled': return false;
        case 'contains': return asString(args[0]).toLowerCase().includes(asString(args[1]).toLowerCase());
        case 'startsWith': return asString(args[0]).toLowerCase().startsWith(asString(args[1]).toLowerCase());
        case 'endsWith': return asString(args[0]).toLowerCase().endsWith(asString(args[1]).toLowerCase());
        default: throw new Error(`unsupported function ${fn}() in expression: ${source}`);
      }
    };
    const primary = (): unknown => {
      const t = tokens[i++];
      if (!t) throw new Error(`incomplete expression: ${source}`);
      if (t.op === '(') {
        const value = or();
        expect(')');
        return value;
      }
      if (t.op === '!') return !truthy(primary());
      if (t.str !== undefined) return t.str;
      if (t.num !== undefined) return Number(t.num);
      if (t.name === 'true') return true;
      if (t.name === 'false') return false;
      if (t.name === 'null') return null;
      if (t.name && peek('(')) {
        i++;
        const args: unknown[] = [];
        while (!peek(')')) {
          args.push(or());
          if (!peek(')')) expect(',');
        }
        i++;
        return call(t.name, args);
      }
      if (t.name) return lookup(t.name);
      throw new Error(`unexpected "${t.op}" in expression: ${source}`);
    };
    const comparison = (): unknown => {
      const left = primary();
      if (peek('==') || peek('!=')) {
        const negate = tokens[i++].op === '!=';
        const right = primary();
        const same = typeof left === 'string' && typeof right === 'string'
          ? left.toLowerCase() === right.toLowerCase()
          : asString(left).toLowerCase() === asString(right).toLowerCase();
        return negate ? !same : same;
      }
      return left;
    };
    const and = (): unknown => {
      let value = comparison();
      while (peek('&&')) {
        i++;
        const right = comparison();
        value = truthy(value) ? right : value;
      }
      return value;
    };
    const or = (): unknown => {
      let value = and();
      while (peek('||')) {
        i++;
        const right = and();
        value = truthy(value) ? value : right;
      }
      return value;
    };
    const result = or();
    if (i !== tokens.length) throw new Error(`unsupported expression: ${source}`);
    return result;
  }

  function interpolate(text: string, context: ExpressionContext): string {
    return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => asString(evaluate(expression, context)));
  }

  function condition(ifText: string | undefined, context: ExpressionContext, failed: boolean): boolean {
    if (ifText === undefined || ifText === null || String(ifText).trim() === '') return !failed;
    let expression = String(ifText).trim();
    const wrapped = /^\$\{\{([\s\S]*)\}\}$/.exec(expression);
    if (wrapped && !wrapped[1].includes('${{')) expression = wrapped[1];
    const value = evaluate(expression, context, failed);
    return /\b(always|success|failure|cancelled)\s*\(/.test(expression) ? truthy(value) : !failed && truthy(value);
  }

  /** Reads a `$GITHUB_OUTPUT`/`$GITHUB_ENV` file: `name=value` and `name<<DELIMITER` blocks. */
  function readKeyValues(file: string): { [key: string]: string } {
    const values: { [key: string]: string } = {};
    if (!fs.existsSync(file)) return values;
    const lines = fs.readFileSync(file, 'utf-8').split('\n');
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n];
      const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
      if (heredoc) {
        const body: string[] = [];
        for (n++; n < lines.length && lines[n] !== heredoc[2]; n++) body.push(lines[n]);
        values[heredoc[1]] = body.join('\n');
      } else if (line.includes('=')) {
        values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
      }
    }
    return values;
  }

  function runJob(options: RunJobOptions): JobResult {
    const runnerTemp = nodePath.join(options.tempDir, 'runner-temp');
    fs.mkdirSync(runnerTemp, { recursive: true });
    const steps: { [id: string]: { outputs: { [key: string]: string }; outcome: string; conclusion: string } } = {};
    const context: ExpressionContext = { ...options.context, steps, runner: { temp: runnerTemp, os: 'Linux', ...options.context.runner }, env: {} };
    const jobEnv: { [key: string]: string } = {};
    for (const [key, value] of Object.entries(options.env ?? {})) jobEnv[key] = interpolate(String(value), context);
    const exported: { [key: string]: string } = {};
    const paths: string[] = [];
    const results: StepResult[] = [];
    let failed: StepResult | undefined;

    options.steps.forEach((step, index) => {
      const record = (result: StepResult) => {
        results.push(result);
        steps[step.id] = { outputs: result.outputs, outcome: result.status, conclusion: result.status };
        if (options.afterStep) options.afterStep(result);
      };
      const envContext: ExpressionContext = { ...context, env: { ...jobEnv, ...exported } };
      const skipped = options.skip ? options.skip(step) : undefined;
      if (skipped !== undefined) return record({ id: step.id, name: step.name, status: 'skipped', reason: failed ? 'an earlier step failed' : skipped, output: '', seconds: 0, outputs: {} });
      if (!condition(step.if, envContext, failed !== undefined)) {
        return record({ id: step.id, name: step.name, status: 'skipped', reason: failed ? 'an earlier step failed' : `if: ${step.if}`, output: '', seconds: 0, outputs: {} });
      }
      if (step.run === undefined) {
        return record({ id: step.id, name: step.name, status: 'skipped', reason: `uses: ${step.uses}`, output: '', seconds: 0, outputs: {} });
      }
      if (options.beforeStep) options.beforeStep(step);
      const dir = nodePath.join(options.tempDir, `step-${String(index).padStart(2, '0')}-${step.id}`);
      fs.mkdirSync(dir, { recursive: true });
      const file = (name: string) => nodePath.join(dir, name);
      const files = { output: file('output'), env: file('env'), path: file('path'), summary: file('summary'), log: file('log'), script: file('script.sh') };
      for (const f of [files.output, files.env, files.path, files.summary]) fs.writeFileSync(f, '');
      fs.writeFileSync(files.script, step.run);
      const stepEnv: { [key: string]: string } = {};
      for (const [key, value] of Object.entries(step.env ?? {})) stepEnv[key] = interpolate(String(value), envContext);
      const env: { [key: string]: string | undefined } = {
        ...options.baseEnv,
        GITHUB_WORKSPACE: options.workspace,
        GITHUB_REPOSITORY: asString(context.github?.repository) || undefined,
        GITHUB_REF: asString(context.github?.ref) || undefined,
        GITHUB_SHA: asString(context.github?.sha) || undefined,
        GITHUB_EVENT_NAME: asString(context.github?.event_name) || undefined,
        GITHUB_SERVER_URL: asString(context.github?.server_url) || undefined,
        RUNNER_TEMP: runnerTemp,
        GITHUB_OUTPUT: files.output,
        GITHUB_ENV: files.env,
        GITHUB_PATH: files.path,
        GITHUB_STEP_SUMMARY: files.summary,
        ...jobEnv,
        ...exported,
        ...stepEnv,
      };
      if (paths.length) env.PATH = [...paths].reverse().concat(env.PATH ? [env.PATH] : []).join(':');
      for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
      const workingDirectory = step.workingDirectory !== undefined ? interpolate(step.workingDirectory, envContext) : options.workingDirectory;
      const cwd = nodePath.resolve(options.workspace, workingDirectory ?? '.');
      const log = fs.openSync(files.log, 'w');
      const started = Date.now();
      const run = cp.spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', files.script], {
        cwd,
        env: env as NodeJS.ProcessEnv,
        stdio: ['ignore', log, log],
        timeout: (options.timeoutSeconds ?? 1800) * 1000,
      });
      fs.closeSync(log);
      const seconds = (Date.now() - started) / 1000;
      let output = fs.readFileSync(files.log, 'utf-8');
      if (run.error) output += `\n${run.error.message}\n`;
      const exitCode = run.status ?? 1;
      Object.assign(exported, readKeyValues(files.env));
      paths.push(...fs.readFileSync(files.path, 'utf-8').split('\n').filter((p) => p.trim()));
      const result: StepResult = {
        id: step.id,
        name: step.name,
        status: exitCode === 0 ? 'success' : 'failure',
        exitCode,
        output,
        seconds,
        outputs: readKeyValues(files.output),
      };
      if (exitCode !== 0 && !failed) failed = result;
      return record(result);
    });
    return { ok: failed === undefined, results, failed, context: { ...context, env: { ...jobEnv, ...exported } } };
  }

  return { evaluate, interpolate, condition, runJob };
}
