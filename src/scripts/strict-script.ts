/** Every script we render starts strict: exit on error, on unset variables and in pipelines. */
const STRICT = 'set -euo pipefail';

/** Joins lines into a strict bash script (with a final newline, so YAML renders a `|` block). */
export function script(...lines: string[]): string {
  return [STRICT, ...lines].join('\n') + '\n';
}
