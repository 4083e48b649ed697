import { ADVISORIES, cacheOf, Check, compareVersions, Context, globRegExp, PUBLISHING_ACTIONS, RELEASING_COMMAND, SHA_PIN, VERSION_COMMENT } from './context';

/** What a job runs: actions pinned with matching version comments, no known-vulnerable versions, checkouts without credentials, no workspace artifacts, no caches where a release is made. */

export function pinnedUses(ctx: Context): void {
  for (const job of ctx.jobs) {
    if (typeof job.raw.uses === 'string' && !job.raw.uses.startsWith('./') && !SHA_PIN.test(job.raw.uses)) {
      ctx.report('pinned-uses', `job "${job.id}"`, `calls the reusable workflow "${job.raw.uses}" by a movable ref; pin it to a full commit SHA.`);
    }
    for (const s of job.steps) {
      const uses = s.raw.uses;
      if (uses === undefined) continue;
      if (typeof uses !== 'string') {
        ctx.report('pinned-uses', s.label, '`uses:` is not a string.');
        continue;
      }
      if (uses.startsWith('./')) continue; // a local action is pinned by the checkout itself
      if (uses.startsWith('docker://')) {
        if (!/@sha256:[0-9a-f]{64}$/.test(uses)) {
          ctx.report('pinned-uses', s.label, `the container "${uses}" is not pinned by digest; use docker://image@sha256:<digest>.`);
        }
        continue;
      }
      if (!SHA_PIN.test(uses)) {
        ctx.report('pinned-uses', s.label, `\`uses: ${uses}\` is not pinned to a full 40-character commit SHA. A tag or branch can be moved to other code at any time (tj-actions/changed-files, 2025); pin the commit (ActionPins) and write its tag as a comment.`);
        continue;
      }
      const comment = ctx.comment(['jobs', job.id, 'steps', s.index, 'uses']);
      if (!comment || !VERSION_COMMENT.test(comment)) {
        ctx.report('pinned-uses', s.label, `\`uses: ${uses}\` has ${comment ? `the comment "# ${comment}"` : 'no comment'}; write the release tag the SHA carries as \`# vX.Y.Z\` on the same line, which is what Dependabot and Renovate read and update (register your own pins with PipelineWorkflow.pinAction()).`);
      }
    }
  }
}

export function pinVersionMatches(ctx: Context): void {
  for (const job of ctx.jobs) {
    for (const s of job.steps) {
      const uses = s.raw.uses;
      if (typeof uses !== 'string' || !(uses in ctx.pinVersions)) continue;
      const comment = ctx.comment(['jobs', job.id, 'steps', s.index, 'uses']);
      if (comment && VERSION_COMMENT.test(comment) && comment !== ctx.pinVersions[uses]) {
        ctx.report('pin-version-matches', s.label, `\`${uses}\` is ${ctx.pinVersions[uses]} in the catalog, but its comment says ${comment}. Dependabot and Renovate trust the comment, so a wrong one hides the real version from updates and reviews; write \`# ${ctx.pinVersions[uses]}\`.`);
      }
    }
  }
}

export function knownVulnerableActions(ctx: Context): void {
  for (const job of ctx.jobs) {
    for (const s of job.steps) {
      const advisory = ADVISORIES.find((a) => a.action === s.action);
      if (!advisory) continue;
      const version = ctx.pinVersions[s.raw.uses] ?? ctx.comment(['jobs', job.id, 'steps', s.index, 'uses']);
      if (version && VERSION_COMMENT.test(version) && compareVersions(version.slice(1), advisory.fixedIn) < 0) {
        ctx.report('known-vulnerable-actions', s.label, `${advisory.action} ${version} is affected by ${advisory.id}; pin v${advisory.fixedIn} or later.`);
      }
    }
  }
}

export function persistCredentials(ctx: Context): void {
  for (const job of ctx.jobs) {
    const pushes = job.steps.some((s) => s.run !== undefined && /\bgit\s+push\b/.test(s.run));
    if (pushes) continue;
    for (const s of job.steps) {
      if (s.action !== 'actions/checkout') continue;
      const value = s.raw.with?.['persist-credentials'];
      if (value !== false && value !== 'false') {
        ctx.report('persist-credentials', s.label, 'actions/checkout without `persist-credentials: false` leaves the GITHUB_TOKEN on disk for every later step and anything they upload (artipacked), and this job never runs git push. Set `persist-credentials: false`.');
      }
    }
  }
}

export function artifactScope(ctx: Context): void {
  for (const job of ctx.jobs) {
    for (const s of job.steps) {
      if (s.action !== 'actions/upload-artifact') continue;
      const paths = String(s.raw.with?.path ?? '').split('\n').map((p) => p.trim()).filter(Boolean);
      const bad = paths.find((p) => /^(\.\/?|\*+|\$\{\{\s*github\.workspace\s*\}\}\/?)$/.test(p) || /(^|\/)\.git(\/|$)/.test(p));
      if (bad) {
        ctx.report('artifact-scope', s.label, `uploads "${bad}", which takes in the checkout's .git (and any credentials in it). Upload the files you mean, e.g. dist/*.whl.`);
      }
    }
  }
}

export function noCacheInReleaseJobs(ctx: Context): void {
  const releasingJobs = ctx.jobs.filter((j) => j.steps.some((s) =>
    (s.run !== undefined && RELEASING_COMMAND.test(s.run)) || (s.action && PUBLISHING_ACTIONS.includes(s.action))));
  // The artifacts that end up released: downloaded by a releasing job, or (transitively) by a job
  // that uploads such an artifact (a wheel matrix -> gather -> release), by name or by pattern.
  const downloads = (j: typeof ctx.jobs[number]) => j.steps.filter((s) => s.action === 'actions/download-artifact')
    .map((s) => globRegExp(String(s.raw.with?.name ?? s.raw.with?.pattern ?? '')));
  const uploads = (j: typeof ctx.jobs[number]) => j.steps.filter((s) => s.action === 'actions/upload-artifact').map((s) => String(s.raw.with?.name ?? ''));
  const released: RegExp[] = releasingJobs.flatMap(downloads);
  const direct = released.length;
  const inPath = new Set(releasingJobs);
  for (let grew = true; grew;) {
    grew = false;
    for (const job of ctx.jobs) {
      if (!inPath.has(job) && uploads(job).some((name) => released.some((r) => r.test(name)))) {
        inPath.add(job);
        released.push(...downloads(job));
        grew = true;
      }
    }
  }
  for (const job of ctx.jobs) {
    const publishing = job.steps.find((s) => s.action && PUBLISHING_ACTIONS.includes(s.action));
    const releasing = job.steps.find((s) => s.run !== undefined && RELEASING_COMMAND.test(s.run));
    const uploaded = (s: typeof job.steps[number], among: RegExp[]) => s.action === 'actions/upload-artifact' && among.some((r) => r.test(String(s.raw.with?.name ?? '')));
    const builds = inPath.has(job) ? job.steps.find((s) => uploaded(s, released)) : undefined;
    const directly = builds !== undefined && uploaded(builds, released.slice(0, direct));
    const why = ctx.releaseTriggered ? 'the workflow runs on a release or tag, so every job builds or handles what gets published'
      : publishing ? `it publishes (${publishing.action})`
        : releasing ? `it releases (${releasing.run!.match(RELEASING_COMMAND)![0]} in ${releasing.label})`
          : builds ? `it builds what gets released (the artifact "${builds.raw.with?.name}" that a releasing job downloads${directly ? '' : ' through a job that hands it on'})` : undefined;
    if (!why) continue;
    for (const s of job.steps) {
      const cache = cacheOf(s);
      if (cache) {
        ctx.report('no-cache-in-release-jobs', s.label, `${cache}, but ${why}. A poisoned cache entry (written by any workflow run on the branch) would run inside the release (cache poisoning, as in the Ultralytics compromise). Turn the cache off here; keep it in check jobs.`);
      }
    }
  }
}

/** In the order they run. */
export const ACTIONS_CHECKS: Check[] = [
  pinnedUses,
  pinVersionMatches,
  knownVulnerableActions,
  persistCredentials,
  artifactScope,
  noCacheInReleaseJobs,
];
