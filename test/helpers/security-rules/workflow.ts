import { Check, Context, expressions, firstExpression, isNonEmptyString, isObject, TRUSTED_EXPRESSION } from './context';

/** The workflow itself: names, concurrency, triggers, and what scripts and conditions do with expressions. */

export function noExpressionsInRun(ctx: Context): void {
  for (const job of ctx.jobs) {
    for (const s of job.steps) {
      if (s.run?.includes('${{')) {
        ctx.report('no-expressions-in-run', s.label, `\`run:\` contains \`${firstExpression(s.run)}\`. GitHub pastes the value into the script before bash reads it, so a crafted value runs as code (script injection). Pass it through \`env:\` and use "$NAME" in the script.`);
      }
      const script = s.action === 'actions/github-script' ? s.raw.with?.script : undefined;
      if (typeof script === 'string' && script.includes('${{')) {
        ctx.report('no-expressions-in-run', s.label, `the github-script \`script:\` contains \`${firstExpression(script)}\`, which is pasted into the JavaScript (code injection). Pass it through \`env:\` and read \`process.env.NAME\`.`);
      }
    }
  }
}

export function named(ctx: Context): void {
  if (!isNonEmptyString(ctx.wf.name)) {
    ctx.report('named', 'workflow', 'the workflow has no `name:`, so it shows up in the Actions tab under its file path; give it one.');
  }
  for (const job of ctx.jobs) {
    if (!isNonEmptyString(job.raw.name)) {
      ctx.report('named', `job "${job.id}"`, 'the job has no `name:`; give it one, so that checks and logs say what runs.');
    }
  }
}

export function concurrency(ctx: Context): void {
  const check = (where: string, c: any, required: boolean) => {
    if (c === undefined) {
      if (required) ctx.report('concurrency', where, 'no `concurrency:`; two runs could release at once. Add a group with an explicit `cancel-in-progress` (false for releases, so a run is never cut off halfway).');
    } else if (!isObject(c) || c.group === undefined || c['cancel-in-progress'] === undefined) {
      ctx.report('concurrency', where, `\`concurrency: ${JSON.stringify(c)}\` does not say \`cancel-in-progress\`; write it explicitly (false for releases, so a run is never cut off halfway).`);
    }
  };
  check('workflow', ctx.wf.concurrency, true);
  for (const job of ctx.jobs) check(`job "${job.id}"`, job.raw.concurrency, false);
}

export function dangerousTriggers(ctx: Context): void {
  for (const t of ctx.triggers.filter((x) => x === 'pull_request_target' || x === 'workflow_run')) {
    ctx.report('dangerous-triggers', 'workflow', `\`on: ${t}\` runs with the base repository's secrets and token on events an outsider can cause (a fork's pull request); use pull_request, workflow_dispatch or release.`);
  }
}

export function insecureCommands(ctx: Context): void {
  const envs: Array<[string, any]> = [['workflow', ctx.wf.env]];
  for (const job of ctx.jobs) {
    envs.push([`job "${job.id}"`, job.raw.env]);
    for (const s of job.steps) {
      envs.push([s.label, s.raw.env]);
      if (s.run && /::(set-env|add-path)\b/.test(s.run)) {
        ctx.report('insecure-commands', s.label, 'the script uses the `::set-env`/`::add-path` workflow commands, which anything that prints to the log can forge; write to $GITHUB_OUTPUT (or, with trusted values only, $GITHUB_ENV/$GITHUB_PATH) instead.');
      }
    }
  }
  for (const [where, env] of envs) {
    if (isObject(env) && Object.keys(env).some((k) => k.toUpperCase() === 'ACTIONS_ALLOW_UNSECURE_COMMANDS')) {
      ctx.report('insecure-commands', where, '`ACTIONS_ALLOW_UNSECURE_COMMANDS` turns the deprecated `::set-env`/`::add-path` commands back on, so any step output can set variables or PATH; remove it.');
    }
  }
}

export function githubEnv(ctx: Context): void {
  for (const job of ctx.jobs) {
    for (const s of job.steps) {
      if (!s.run || !/\bGITHUB_(ENV|PATH)\b/.test(s.run)) continue;
      const env = { ...(ctx.wf.env ?? {}), ...(job.raw.env ?? {}), ...(s.raw.env ?? {}) };
      const untrusted = Object.entries(env)
        .filter(([, v]) => expressions(String(v)).some((e) => !TRUSTED_EXPRESSION.test(e.trim())))
        .filter(([k]) => new RegExp(`\\$\\{?${k}\\b`).test(s.run!));
      if (untrusted.length) {
        ctx.report('github-env', s.label, `writes to $GITHUB_ENV/$GITHUB_PATH while it receives ${untrusted.map(([k]) => k).join(', ')} from an expression others can influence; a crafted value could set LD_PRELOAD, BASH_ENV or PATH for every later step. Pass values on through $GITHUB_OUTPUT and step outputs instead.`);
      }
    }
  }
}

export function unsoundCondition(ctx: Context): void {
  const conditions: Array<[string, unknown]> = [];
  for (const job of ctx.jobs) {
    conditions.push([`job "${job.id}"`, job.raw.if]);
    for (const s of job.steps) conditions.push([s.label, s.raw.if]);
  }
  for (const [where, cond] of conditions) {
    if (typeof cond !== 'string' || !cond.includes('${{')) continue;
    const fenced = /^\$\{\{([\s\S]*)\}\}$/.exec(cond);
    if (!fenced || fenced[1].includes('}}')) {
      ctx.report('unsound-condition', where, `\`if: ${JSON.stringify(cond)}\` has text outside its \${{ }}, so it is a non-empty string and always true. Write the condition bare (without \${{ }}) or as exactly one \${{ ... }}.`);
    }
  }
}

/** In the order they run. */
export const WORKFLOW_CHECKS: Check[] = [
  noExpressionsInRun,
  named,
  concurrency,
  dangerousTriggers,
  insecureCommands,
  githubEnv,
  unsoundCondition,
];
