import { Step } from './step';

/** `secrets.X` read by a job's env or its steps' env and inputs (GITHUB_TOKEN aside), as "secrets.X (step y)". */
export function secretReads(jobEnv: { [key: string]: string } | undefined, steps: Step[]): string[] {
  const found: string[] = [];
  const scan = (where: string, values: unknown[]) => {
    for (const value of values) {
      const text = String(value);
      if (!text.includes('secrets')) continue; // most values: no regex, no iterator
      for (const m of text.matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)|\bsecrets\[/g)) {
        if (m[1] !== 'GITHUB_TOKEN') found.push(`secrets.${m[1] ?? '[...]'} (${where})`);
      }
    }
  };
  scan('job env', Object.values(jobEnv ?? {}));
  for (const step of steps) {
    scan(`step ${step.stepId}`, [...Object.values(step.options.env ?? {}), ...Object.values(step.options.with ?? {}), step.options.if ?? '']);
  }
  return found;
}
