// parseGitObjects: commit and tree objects read the way isomorphic-git 1.44
// reads them (GitCommit.parseHeaders, GitTree's parseBuffer), for the fast
// object path of readBranchFiles. Where isomorphic-git would throw (no tree
// header, an author it cannot parse, an unknown mode, an unsafe entry name)
// these return undefined, and the caller reads the branch through
// isomorphic-git, so the error a maintainer sees is the same either way.

import type { CommitInfo, TreeEntryInfo } from './types.js';

/** The commit fields readBranchFiles keeps; `treeOid` is unchecked text, as isomorphic-git returns it. */
export function parseCommit(oid: string, bytes: Buffer): CommitInfo | undefined {
  const text = bytes.toString('utf8');
  const split = text.indexOf('\n\n');
  if (split === -1) return undefined;
  const headers: string[] = [];
  for (const line of text.slice(0, split).split('\n')) {
    if (line[0] === ' ') {
      if (headers.length === 0) return undefined;
      headers[headers.length - 1] += `\n${line.slice(1)}`;
    } else {
      headers.push(line);
    }
  }
  if (headers.length === 0 || keyOf(headers[0]!) !== 'tree') return undefined;
  let index = 1;
  while (index < headers.length && keyOf(headers[index]!) === 'parent') index += 1;
  // The first of a repeated header wins, as in git; tree and parent further down do not count.
  const seen = new Map<string, string>();
  for (; index < headers.length; index += 1) {
    const key = keyOf(headers[index]!);
    if (key !== 'tree' && key !== 'parent' && !seen.has(key)) seen.set(key, valueOf(headers[index]!));
  }
  const author = parsePerson(seen.get('author'));
  const committer = parsePerson(seen.get('committer'));
  if (author === undefined || committer === undefined) return undefined;
  return {
    oid,
    treeOid: valueOf(headers[0]!),
    time: committer.timestamp,
    author: { name: author.name, email: author.email },
    message: normalizeNewlines(text.slice(split + 2)),
  };
}

function keyOf(header: string): string {
  return header.slice(0, header.indexOf(' '));
}

function valueOf(header: string): string {
  return header.slice(header.indexOf(' ') + 1);
}

function parsePerson(value: string | undefined): { name: string; email: string; timestamp: number } | undefined {
  if (value === undefined) return undefined;
  const match = splitPerson(value);
  // isomorphic-git also parses the time zone, and throws when it cannot.
  if (match === undefined || !/(\+|-)(\d\d)(\d\d)/.test(match.zone)) return undefined;
  return { name: match.name, email: match.email, timestamp: Number(match.time) };
}

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * What isomorphic-git's /^(.*) <(.*)> (.*) (.*)$/ captures, found by
 * searching from the end instead of backtracking (which took tens of µs a
 * line). Each greedy group takes all it can and leaves the rest matchable:
 * the time zone follows the last space, the email ends at the last `> ` with
 * a space after it, the name ends at the last ` <` before that. `.` matches
 * no line terminator, so a value holding one does not match at all.
 */
export function splitPerson(value: string): { name: string; email: string; time: string; zone: string } | undefined {
  if (LINE_TERMINATOR.test(value)) return undefined;
  const lastSpace = value.lastIndexOf(' ');
  if (lastSpace < 2) return undefined;
  const emailEnd = value.lastIndexOf('> ', lastSpace - 2);
  if (emailEnd < 2) return undefined;
  const nameEnd = value.lastIndexOf(' <', emailEnd - 2);
  if (nameEnd === -1) return undefined;
  return { name: value.slice(0, nameEnd), email: value.slice(nameEnd + 2, emailEnd), time: value.slice(emailEnd + 2, lastSpace), zone: value.slice(lastSpace + 1) };
}

function normalizeNewlines(text: string): string {
  return `${text.replace(/\r/g, '').replace(/^\n+/, '').replace(/\n+$/, '')}\n`;
}

const TYPE_OF_MODE: Readonly<Record<string, TreeEntryInfo['type']>> = {
  '040000': 'tree',
  '100644': 'blob',
  '100755': 'blob',
  '120000': 'blob',
  '160000': 'commit',
};

/** A tree's entries in stored order; undefined for anything isomorphic-git's reader would refuse. */
export function parseTree(bytes: Buffer): TreeEntryInfo[] | undefined {
  const entries: TreeEntryInfo[] = [];
  let cursor = 0;
  while (cursor < bytes.length) {
    const space = bytes.indexOf(32, cursor);
    const nul = bytes.indexOf(0, cursor);
    if (space === -1 || nul === -1) return undefined;
    let mode = bytes.toString('utf8', cursor, space);
    if (mode === '40000') mode = '040000';
    const type = TYPE_OF_MODE[mode];
    // A NUL before the space, or a cut oid, is a tree isomorphic-git reads differently or not at all.
    if (type === undefined || nul < space || nul + 21 > bytes.length) return undefined;
    const name = bytes.toString('utf8', space + 1, nul);
    if (isUnsafeName(name)) return undefined;
    entries.push({ path: name, mode, type, oid: bytes.toString('hex', nul + 1, nul + 21) });
    cursor = nul + 21;
  }
  return entries;
}

/** git's verify_path for one entry name, as isomorphic-git applies it (NTFS and HFS+ aliases of `.git` included). */
function isUnsafeName(name: string): boolean {
  const hfsClean = name.replace(/[\u200C-\u200F\u202A-\u202E\u206A-\u206F\uFEFF]/g, '');
  const normalized = hfsClean.split(':')[0]!.toLowerCase().replace(/[. ]+$/, '');
  return name.includes('\\') || name.includes('/') || hfsClean === '.' || hfsClean === '..' || normalized === '.git' || /^\.?git~[1-9]$/.test(normalized);
}
