/**
 * Part of the apply script (see apply-script.ts): printing with control characters escaped,
 * errors, and running `gh` with an argument array (never through a shell).
 */
export const GH_JS = String.raw`
class Failure extends Error {}

class ApiError extends Error {
  constructor(status, message, details) {
    super(message);
    this.status = status;
    this.details = details;
  }
}

// C0 and C1 controls, DEL, and the invisible and bidirectional formatting characters: a string
// from the file or from GitHub must not forge lines (e.g. "::error::") or drive the terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;
const ESCAPES = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with every control character written as an escape (\n, \u001b...). */
function esc(value) {
  return String(value).replace(CONTROL, (c) => ESCAPES[c] || '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** A value for a message: a string quoted and escaped, anything else as short escaped JSON. */
function show(value) {
  if (typeof value === 'string') return '"' + esc(value.length > 200 ? value.slice(0, 200) + '...' : value) + '"';
  let text;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    text = String(value);
  }
  return esc(text === undefined ? String(value) : text.slice(0, 200));
}

/** Writes lines; the line breaks are the script's own, anything else is escaped. */
function write(stream, text) {
  stream.write(String(text).split('\n').map(esc).join('\n') + '\n');
}

function out(text) {
  write(process.stdout, text);
}

function runGh(args, input) {
  const result = childProcess.spawnSync('gh', args, {
    input: input === undefined ? '' : input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) {
    if (result.error.code === 'ENOENT') {
      throw new Failure('the GitHub CLI "gh" is not installed or not on PATH. Install it (https://cli.github.com), run "gh auth login", and try again.');
    }
    throw new Failure('could not run gh: ' + esc(result.error.message));
  }
  return result;
}

function apiErrorOf(result) {
  const stderr = (result.stderr || '').trim();
  const match = /\(HTTP (\d{3})\)|HTTP (\d{3})/.exec(stderr);
  const status = match ? Number(match[1] || match[2]) : undefined;
  let message = '';
  let details = [];
  try {
    const body = JSON.parse(result.stdout);
    message = typeof body.message === 'string' ? body.message : '';
    details = (Array.isArray(body.errors) ? body.errors : []).map((e) => (typeof e === 'string' ? e : (e && (e.message || e.code)) || JSON.stringify(e)));
  } catch (e) {
    // not JSON: gh's own message on stderr says what happened
  }
  if (!message) message = stderr.replace(/^gh: /, '') || 'gh exited with code ' + result.status;
  return new ApiError(status, esc(message), details.map((d) => esc(String(d))));
}

function describe(error) {
  const status = error.status ? 'HTTP ' + error.status + ' ' : '';
  const details = error.details && error.details.length ? ': ' + error.details.join('; ') : '';
  return status + error.message + details;
}
`;
