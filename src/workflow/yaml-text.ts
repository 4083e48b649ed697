/**
 * YAML text for a JSON value (objects, arrays, strings, numbers, booleans, null), written as the
 * `yaml` package (v2, core schema) stringifies it with projen's `YamlFile` settings (indent 2,
 * sequences indented, no line folding), plus line comments after chosen scalars. A workflow is
 * rendered once, straight to text: no YAML document model is built for it.
 *
 * Strings are plain where that reads back as the same string, block literals (`|`) where they
 * span lines, and quoted otherwise. The few strings that a block literal cannot hold (a line
 * break among control characters, trailing blanks after the last line break, or nothing but
 * blanks and breaks) are written as one double-quoted line, which reads back the same. `test/yaml-text.test.ts` checks the text
 * against `yaml`'s own, and that `yaml` reads every value back unchanged.
 */

/** Line comments: for an object (a map of the value), the comment to write after a key's scalar value. */
export type YamlComments = WeakMap<object, ReadonlyMap<string, string>>;

const INDENT = '  ';

/** The YAML document for `value` (a map or a sequence), ending with a newline. */
export function yamlText(value: unknown, comments: YamlComments = new WeakMap()): string {
  if (!isCollection(value) || isEmpty(value)) return `${scalar(value, INDENT)}\n`;
  const lines: string[] = [];
  collection(value, '', lines, comments, true);
  return lines.join('\n') + '\n';
}

function isCollection(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** An empty sequence, or a map with no defined value (undefined values are left out, as JSON leaves them out). */
function isEmpty(value: object): boolean {
  if (Array.isArray(value)) return value.length === 0;
  for (const key in value) if ((value as { [key: string]: unknown })[key] !== undefined) return false;
  return true;
}

/**
 * Appends the lines of a non-empty map or sequence whose entries start at `indent`. It loops by
 * index and for-in, not for-of and `Object.entries()`: it runs once per synthesis, cold, in V8's
 * interpreter, where each step of an iterator is an object and each entry an array to take apart
 * (2 ms of a synthesis, side by side).
 */
function collection(value: unknown, indent: string, lines: string[], comments: YamlComments, top = false): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) entry(`${indent}- `, indent + INDENT, value[i], lines, comments);
    return;
  }
  const map = value as { [key: string]: unknown };
  const notes = comments.get(map);
  for (const key in map) {
    const item = map[key];
    if (item === undefined) continue;
    const head = `${indent}${scalarString(key, top)}:`;
    if (isCollection(item) && !isEmpty(item)) {
      lines.push(head);
      collection(item, indent + INDENT, lines, comments);
    } else {
      const note = notes?.get(key);
      lines.push(`${head} ${scalar(item, indent + INDENT)}${note ? ` #${note.replace(/\s*[\r\n]+\s*/g, ' ')}` : ''}`);
    }
  }
}

/** A sequence item: `prefix` (the dash) before its first line; a collection's further lines at `inner`. */
function entry(prefix: string, inner: string, item: unknown, lines: string[], comments: YamlComments): void {
  if (isCollection(item) && !isEmpty(item)) {
    const start = lines.length;
    collection(item, inner, lines, comments);
    lines[start] = prefix + lines[start].slice(inner.length);
  } else {
    lines.push(`${prefix}${scalar(item, inner)}`);
  }
}

/** A scalar (or an empty collection) as a map value or sequence item; block literals indented at `indent`. */
function scalar(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object') return '{}';
  if (typeof value === 'string') return valueString(value, indent);
  return JSON.stringify(value);
}

/** Characters that only a double-quoted scalar can hold. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** What a plain scalar cannot start with, contain or end with. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** Plain scalars that the core schema reads as null, a boolean, an integer or a float. */
const NOT_A_STRING = new RegExp([
  /^(?:~|[Nn]ull|NULL)?$/, /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/, /^[-+]?[0-9]+$/, /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
].map((re) => `(?:${re.source})`).join('|'));
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

function valueString(value: string, indent: string): string {
  if (value.includes('\n') && !CONTROL.test(value)) return blockLiteral(value, indent);
  return scalarString(value, false);
}

/** A single-line scalar: plain if it reads back as the same string, else quoted. */
function scalarString(value: string, topLevelKey: boolean): string {
  if (CONTROL.test(value)) return doubleQuoted(value);
  if (value.includes('\n') || NOT_PLAIN.test(value)) return quoted(value);
  if (topLevelKey && DOCUMENT_MARKER.test(value)) return quoted(value);
  return NOT_A_STRING.test(value) ? quoted(value) : value;
}

/** Single quotes for a one-line string with double quotes only, double quotes otherwise. */
function quoted(value: string): string {
  return value.includes('"') && !value.includes("'") && !value.includes('\n') ? `'${value}'` : doubleQuoted(value);
}

/** Double quotes, with JSON's escapes (which YAML reads) and YAML's short forms for control characters. */
function doubleQuoted(value: string): string {
  return JSON.stringify(value).replace(/\\(?:u00([0-9a-f]{2})|.)/g, (escape, code?: string) =>
    code === undefined ? escape : SHORT_ESCAPES[code] ?? `\\x${code}`);
}
const SHORT_ESCAPES: { [code: string]: string } = { '00': '\\0', '07': '\\a', '0b': '\\v', '1b': '\\e' };

/** A `|` block: chomping from the trailing line breaks, an indentation indicator if it starts with a blank. */
function blockLiteral(text: string, indent: string): string {
  // Trailing blanks after the last break, or only blanks and breaks (which yaml@2 writes as a
  // block that reads back without the blanks): not representable as a block.
  if (/\n[\t ]+$/.test(text) || /^[\t\n ]*[\t ][\t\n ]*$/.test(text)) return quoted(text);
  let value = text;
  let endStart = value.length;
  while (endStart > 0 && '\n\t '.includes(value[endStart - 1])) endStart--;
  let end = value.substring(endStart);
  const endBreak = end.indexOf('\n');
  const chomp = endBreak === -1 ? '-' : value === end || endBreak !== end.length - 1 ? '+' : '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(/(^|(?<!\n))\n+(?!\n|$)/g, `$&${indent}`);
  }
  let startsWithSpace = false;
  let startEnd = 0;
  let startBreak = -1;
  for (; startEnd < value.length; startEnd++) {
    if (value[startEnd] === ' ') startsWithSpace = true;
    else if (value[startEnd] === '\n') startBreak = startEnd;
    else break;
  }
  let start = value.substring(0, startBreak < startEnd ? startBreak + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  return `|${startsWithSpace ? '2' : ''}${chomp}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}
