// parseDockerfile: the instructions of a Dockerfile that say what an image
// holds and how it runs (FROM stages, WORKDIR, COPY, RUN, ENV, USER, VOLUME,
// EXPOSE, HEALTHCHECK, CMD), so the build test can lay a folder out exactly
// as the image's COPY lines do and run the image's own commands, with no
// Docker engine. Only the syntax this repository's Dockerfile uses: line
// continuations, `#` comments, `KEY=value` ENV pairs, flags `--from=`/
// `--chown=`/`--link`, and the JSON (exec) form for CMD and HEALTHCHECK.

import path from 'node:path/posix';

export interface DockerCopy {
  /** The stage copied from (`--from=`), or undefined for the build context. */
  readonly from: string | undefined;
  readonly sources: readonly string[];
  /** Absolute in the image (resolved against the WORKDIR); ends with `/` when it names a folder. */
  readonly dest: string;
}

export interface DockerStage {
  readonly image: string;
  readonly name: string | undefined;
  workdir: string;
  readonly copies: DockerCopy[];
  readonly runs: string[];
  readonly env: Record<string, string>;
  readonly volumes: string[];
  readonly exposed: string[];
  user: string | undefined;
  /** The exec-form command of HEALTHCHECK, and its options (`interval` → `30s`). */
  healthcheck: { readonly command: readonly string[]; readonly options: Readonly<Record<string, string>> } | undefined;
  cmd: readonly string[] | undefined;
}

export function parseDockerfile(text: string): DockerStage[] {
  const stages: DockerStage[] = [];
  for (const line of logicalLines(text)) {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (match === null) continue;
    const instruction = match[1]!.toUpperCase();
    const rest = match[2]!.trim();
    if (instruction === 'FROM') {
      const [image, as, name] = rest.split(/\s+/);
      stages.push({ image: image!, name: as?.toUpperCase() === 'AS' ? name : undefined, workdir: '/', copies: [], runs: [], env: {}, volumes: [], exposed: [], user: undefined, healthcheck: undefined, cmd: undefined });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) {
      if (instruction === 'ARG') continue;
      throw new Error(`Dockerfile: ${instruction} before the first FROM`);
    }
    switch (instruction) {
      case 'WORKDIR':
        stage.workdir = path.resolve(stage.workdir, rest);
        break;
      case 'COPY':
      case 'ADD':
        stage.copies.push(parseCopy(rest, stage.workdir));
        break;
      case 'RUN':
        stage.runs.push(rest);
        break;
      case 'ENV':
        for (const pair of rest.split(/\s+/)) {
          const equals = pair.indexOf('=');
          if (equals <= 0) throw new Error(`Dockerfile: ENV ${pair}: only KEY=value pairs are read here`);
          stage.env[pair.slice(0, equals)] = pair.slice(equals + 1);
        }
        break;
      case 'USER':
        stage.user = rest;
        break;
      case 'VOLUME':
        stage.volumes.push(...(rest.startsWith('[') ? execForm(rest) : rest.split(/\s+/)));
        break;
      case 'EXPOSE':
        stage.exposed.push(...rest.split(/\s+/));
        break;
      case 'HEALTHCHECK': {
        const options: Record<string, string> = {};
        let remaining = rest;
        for (let flag = /^--([a-z-]+)=(\S+)\s+/.exec(remaining); flag !== null; flag = /^--([a-z-]+)=(\S+)\s+/.exec(remaining)) {
          options[flag[1]!] = flag[2]!;
          remaining = remaining.slice(flag[0].length);
        }
        if (!remaining.startsWith('CMD ')) throw new Error(`Dockerfile: HEALTHCHECK ${rest}: expected CMD [...]`);
        stage.healthcheck = { command: execForm(remaining.slice(4)), options };
        break;
      }
      case 'CMD':
        stage.cmd = execForm(rest);
        break;
      default:
        break;
    }
  }
  return stages;
}

function parseCopy(rest: string, workdir: string): DockerCopy {
  const words = rest.split(/\s+/);
  let from: string | undefined;
  while (words[0]?.startsWith('--') === true) {
    const flag = words.shift()!;
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
  }
  if (words.length < 2) throw new Error(`Dockerfile: COPY ${rest}: a source and a destination`);
  const target = words.pop()!;
  const dest = path.resolve(workdir, target) + (target.endsWith('/') || target === '.' ? '/' : '');
  return { from, sources: words, dest: dest.replace(/\/+$/, '/') };
}

function execForm(text: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new Error(`Dockerfile: ${text}: expected a JSON array of strings`);
  return value as string[];
}

/** Instructions with their continuation lines joined; comments and blank lines dropped. */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (current === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (line.trimStart().startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push((current + line).trim());
    current = '';
  }
  if (current.trim() !== '') lines.push(current.trim());
  return lines;
}
