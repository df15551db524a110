// pkgbuildMutations: systematic damage to a PKGBUILD for differential tests —
// every line prefix, odd characters inserted and characters dropped at
// deterministic pseudo-random places, lines of other PKGBUILDs spliced in,
// each closing quote or parenthesis dropped in turn.

import { seededRandom } from '../../scripts/lib/seededRandom.js';

const ODD = ['"', "'", '\\', '$', '{', '}', '(', ')', '[', ']', '#', ';', ';;', '|', '&', '&&', '<', '>', '`', '\n', ' ', '\t', '=', '+=', '*', '?', '!', '~', '-', '0', '\r', '\\\n', 'é', '😀', '$(', '${', '$((', '<<EOF\n', 'if ', 'fi', 'then', 'case ', 'esac', 'done', '\u00a0'];

/**
 * Mutations of one PKGBUILD: every line prefix, a fixed number of random
 * insertions and deletions, and lines from `pool` (other PKGBUILDs' lines)
 * put in at random lines, so statements meet neighbours they never had.
 */
export function mutations(name: string, text: string, pool: readonly string[] = []): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let count = 1; count < lines.length; count += 1) out.push(lines.slice(0, count).join('\n'), `${lines.slice(0, count).join('\n')}\n`);
  // Seeded by the file's name: a failure names a reproducible mutation.
  const next = seededRandom([...name].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) >>> 0, 7));
  for (let round = 0; round < 60; round += 1) {
    const at = Math.floor(next() * (text.length + 1));
    out.push(text.slice(0, at) + ODD[Math.floor(next() * ODD.length)]! + text.slice(at));
    out.push(text.slice(0, at) + text.slice(at + 1));
  }
  for (let round = 0; round < Math.min(pool.length, 40); round += 1) {
    const at = Math.floor(next() * (lines.length + 1));
    const line = pool[Math.floor(next() * pool.length)]!;
    out.push([...lines.slice(0, at), line, ...lines.slice(at)].join('\n'));
  }
  // A quote left open: each closing quote dropped in turn (at most 20 a file).
  const quotes = [...text.matchAll(/["')]/g)].map((match) => match.index).slice(0, 20);
  for (const at of quotes) out.push(text.slice(0, at) + text.slice(at + 1));
  return out;
}

