import { version } from '../../package.json';
import { flagDefault, POLICY_NAMES, rangeText, SETTING_LIST, type SettingSpec } from '../shared/config.js';
import { formatBytes, LIMIT_CATALOG } from '../shared/limits.js';
import { COMMANDS, type CommandSpec } from './commands.js';

/** The package's version (package.json, bundled into the CLI). */
export const VERSION: string = version;

const INDENT = '  ';
/** Flags stand in a column this wide; their help continues at its right. */
const COLUMN = 30;
const WIDTH = 100;

/** Wraps words to the width, every line after the first at `indent` columns. */
function wrapWords(text: string, indent: number, first = indent): string {
  const lines: string[] = [];
  let line = '';
  let room = WIDTH - first;
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
      room = WIDTH - indent;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** `  --flag VALUE        help`, the help wrapped in its column. */
function row(left: string, help: string): string {
  const head = `${INDENT}${left}`;
  const pad = head.length + 1 < COLUMN ? ' '.repeat(COLUMN - head.length) : `\n${' '.repeat(COLUMN)}`;
  return `${head}${pad}${wrapWords(help, COLUMN)}`;
}

/** A setting's value placeholder. */
function placeholder(s: SettingSpec): string {
  if (s.kind === 'boolean') return 'on|off';
  if (s.kind === 'enum') return 'NAME';
  if (s.kind === 'weights') return 'I,U,R';
  return s.kind === 'int' ? 'N' : 'X';
}

/** One row per engine setting, from the catalog: its help, range, unit, default and the policies that read it. */
export function settingRows(): string[] {
  return SETTING_LIST.map((s) => {
    const used = s.usedBy ? ` (${s.usedBy.join(', ')} only)` : '';
    return row(`--${s.flag} ${placeholder(s)}`, `${s.help}${used}; ${rangeText(s)}${s.unit ? ` ${s.unit}` : ''}; default ${flagDefault(s)}`);
  });
}

function limitRows(): string[] {
  return LIMIT_CATALOG.map((l) => row(`--${l.flag} SIZE`, `the limit for ${l.help}; default ${formatBytes(l.default).replace(' ', '')}`));
}

function usageLine(c: CommandSpec): string {
  return `fms ${c.name}${c.args ? ` ${c.args}` : ''} [options]`;
}

/** `fms help COMMAND`, `fms COMMAND --help`. */
export function commandHelp(c: CommandSpec): string {
  const out = [`usage: ${usageLine(c)}`, '', wrapWords(c.summary, 0), '', 'Options:'];
  for (const f of c.flags) out.push(row(`--${f.flag}${f.value ? ` ${f.value}` : ''}`, `${f.help}${f.default !== undefined ? `; default ${f.default}` : ''}`));
  out.push(row('-h, --help', 'print this help'));
  if (c.engine) out.push('', `${c.engine.heading}:`, ...settingRows());
  if (c.limits) out.push('', 'Size limits (sizes like 16MiB, 512KiB or bytes):', ...limitRows());
  return `${out.join('\n')}\n`;
}

/** `fms help`, `fms --help`: every command in one line, and where to read more. */
export function overviewHelp(): string {
  const out = [`fms ${VERSION}: Finite Memory Studio on the command line`, '', 'usage:'];
  for (const c of COMMANDS) out.push(`${INDENT}${usageLine(c)}`);
  out.push(`${INDENT}fms help [COMMAND]`, `${INDENT}fms --version`, '', 'Commands:');
  for (const c of COMMANDS) out.push(row(c.name, c.brief));
  out.push('', wrapWords(`Policies (--policy): ${POLICY_NAMES.join(', ')}.`, 2));
  out.push('', '`fms help COMMAND` or `fms COMMAND --help` lists its flags, each with its default and range.');
  return `${out.join('\n')}\n`;
}
