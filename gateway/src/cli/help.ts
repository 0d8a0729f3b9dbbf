import type { OptionSpec } from './args.js';
import type { CommandSpec, GroupSpec } from './command.js';

/**
 * `entente <command> --help`: what it does, its synopsis, every option with what it is for,
 * examples to copy, and the exit codes it can end with.
 */
export function formatCommandHelp(spec: CommandSpec): string {
  const lines = [`entente ${spec.name}: ${spec.summary}`, '', 'usage:', ...spec.usage.map((u) => `  entente ${spec.name} ${u}`)];
  if (spec.description !== undefined) lines.push('', ...spec.description);
  const groups = new Map<string, [string, OptionSpec][]>();
  const help: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };
  for (const [name, option] of [...Object.entries(spec.options), ['help', help] as const]) {
    const heading = option.group ?? 'options';
    groups.set(heading, [...(groups.get(heading) ?? []), [name, option]]);
  }
  const flags = (name: string, o: OptionSpec) => `${o.short !== undefined ? `-${o.short}, ` : '    '}--${name}${o.arg !== undefined ? ` ${o.arg}` : ''}`;
  const width = Math.max(...[...groups.values()].flat().map(([n, o]) => flags(n, o).length));
  for (const [heading, options] of groups) {
    lines.push('', `${heading}:`, ...options.map(([n, o]) => `  ${flags(n, o).padEnd(width)}  ${o.help}${o.multiple === true ? ' (repeatable)' : ''}`));
  }
  if (spec.examples.length > 0) {
    lines.push('', spec.examples.length === 1 ? 'example:' : 'examples:');
    spec.examples.forEach(([what, command], i) => lines.push(...(i > 0 ? [''] : []), `  # ${what}`, `  ${command}`));
  }
  if (spec.exits !== undefined) {
    lines.push('', 'exit codes:', ...spec.exits.map(([code, meaning]) => `  ${code}  ${meaning}`));
  }
  return lines.join('\n') + '\n';
}

/** `entente <group> --help`: its subcommands with their synopses. */
export function formatGroupHelp(spec: GroupSpec): string {
  const subs = spec.commands.map((c) => c.spec);
  const width = Math.max(...subs.map((s) => s.name.length));
  const lines = [
    `entente ${spec.name}: ${spec.summary}`,
    '',
    'usage:',
    ...subs.flatMap((s) => ('usage' in s ? s.usage.map((u) => `  entente ${s.name} ${u}`) : [`  entente ${s.name} <command>`])),
  ];
  if (spec.description !== undefined) lines.push('', ...spec.description);
  lines.push('', 'commands:', ...subs.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`));
  lines.push('', `entente ${spec.name} <command> --help, or entente help ${spec.name} <command>, shows a command's options and examples.`);
  return lines.join('\n') + '\n';
}

/** The synopsis printed under a usage error, and where to read more. */
export function usageOf(spec: CommandSpec | GroupSpec): string {
  const synopses =
    'usage' in spec
      ? spec.usage.map((u) => `entente ${spec.name} ${u}`)
      : spec.commands.flatMap((c) => ('usage' in c.spec ? c.spec.usage.map((u) => `entente ${c.spec.name} ${u}`) : []));
  return [
    ...synopses.map((s, i) => `${i === 0 ? 'usage: ' : '       '}${s}`),
    `(entente ${spec.name} --help for ${'usage' in spec ? 'every option and an example' : 'its commands'})`,
  ].join('\n');
}
