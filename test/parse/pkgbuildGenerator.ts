// pkgbuildGenerator: random PKGBUILD-like programs for differential tests —
// assignments of every value shape, functions of commands, pipelines, lists,
// tests, if/elif/else, comments, continuations and odd spacing — drawn from a
// seeded generator, so a failure names a reproducible program.

import { seededRandom } from '../../scripts/lib/seededRandom.js';

const NAMES = ['a', 'pkgname', '_x', 'depends_x86_64', 'B2', 'url'];
const WORDS = ['x', '1', '-1', '0.1.0', 'a-b', 'lib/*.so', 'x86_64', 'a_b', '!lto', 'a=b', '=x', 'a:b', '-Dm755', '--x', 'a,b', 'a.b', '/usr', '1a', '@', '%x', '+x', 'a#b', '~x', 'é'];

export function pkgbuildGenerator(seed: number): () => string {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const some = <T>(most: number, make: () => T): T[] => Array.from({ length: Math.floor(next() * (most + 1)) }, make);
  const blank = (): string => pick([' ', ' ', ' ', '  ', '\t', ' \\\n  ']);
  const expansion = (): string => {
    const name = pick(NAMES);
    return pick([`$${name}`, `\${${name}}`, `\${${name}[@]}`, `\${${name}[0]}`, `\${#${name}}`, `\${${name}:-${pick(WORDS)}}`, `\${${name}-${pick(WORDS)}}`,
      `\${${name}:+x}`, `\${${name}%${pick(WORDS)}}`, `\${${name}##*/}`, `\${${name}/a/b}`, `\${${name}//-/_}`, `\${${name},,}`, `\${${name}^}`, `\${${name}:1:2}`, `\${${name}:-"$x"}`]);
  };
  const quoted = (): string => `"${some(3, () => pick(['abc', ' ', '  x', '\t', '\n', '\\"', '\\$', expansion(), '$(echo x)', '$(a | b; c)', 'é😀', '#', "'", '\\\n'])).join('')}"`;
  const primary = (): string => pick([pick(WORDS), pick(WORDS), quoted(), `'${pick(WORDS)} y'`, expansion(), '$(cmd -x)', `"$(r -vV | s -n 'p')"`]);
  const literal = (): string => {
    let text = primary();
    while (next() < 0.3) text += primary();
    return text;
  };
  const assignment = (): string => `${pick(NAMES)}${pick(['=', '=', '+='])}${pick(['', literal(), literal(), `(${some(3, literal).join(pick([' ', '\n  ', ' # c\n ']))})`])}`;
  const command = (): string => [pick(['cd', 'install', 'cargo', 'echo', 'make', './configure', 'python3']), ...some(3, literal)].join(blank());
  const condition = (): string => pick([`[[ ${literal()} == ${pick(WORDS)} ]]`, `[[ -n ${literal()} ]]`, `[ ${literal()} = ${literal()} ]`,
    `[[ ! -z ${literal()} && ${literal()} != ${pick(WORDS)} ]]`, `[[ ${literal()} -ge 3 ]] || [[ ${literal()} == x ]]`]);
  const statement = (depth: number): string => {
    const roll = next();
    if (roll < 0.35) return command();
    if (roll < 0.5) return assignment();
    if (roll < 0.55) return `${assignment()} ${assignment()}`;
    if (roll < 0.6) return `${assignment()} ${command()}`;
    if (roll < 0.65) return `${pick(['export', 'local'])} ${pick([assignment(), pick(NAMES)])}`;
    if (roll < 0.72) return `${command()} ${pick(['|', '&&', '||'])} ${command()}`;
    if (roll < 0.78) return `[[ ${literal()} ${pick(['==', '!=', '-eq', '-lt'])} ${literal()} ]] ${pick(['&&', '||'])} ${command()}`;
    if (roll < 0.86 && depth < 2) return ifStatement(depth + 1);
    return `# ${pick(WORDS)}`;
  };
  const body = (depth: number): string => some(3, () => `  ${statement(depth)}${pick(['', '', ' # t', ';'])}`).join('\n') + pick(['\n', '\n', '\n\n']);
  const ifStatement = (depth: number): string => {
    let text = `if ${condition()}${pick(['; then', '\nthen'])}\n${body(depth)}`;
    if (next() < 0.3) text += `elif ${condition()}; then\n${body(depth)}`;
    if (next() < 0.4) text += `else\n${body(depth)}`;
    return `${text}fi`;
  };
  const top = (): string => {
    const roll = next();
    if (roll < 0.5) return assignment();
    if (roll < 0.7) return `${pick(['build', 'package', 'package_a-b'])}()${pick([' ', '\n'])}{\n${body(1)}}`;
    if (roll < 0.8) return ifStatement(1);
    if (roll < 0.9) return `# ${pick(WORDS)}`;
    return statement(1);
  };
  return () => some(7, top).concat(top()).join(pick(['\n', '\n', '\n\n', ';', ' # x\n'])) + pick(['', '\n', '\n\n', '  ']);
}
