// commitStatusFor: what a maintainer sees next to a commit on GitHub after a
// push was indexed — success (served, with the version and any warnings),
// failure (rejected: the first problems; and what is served instead) or
// error (the commit could not be read). GitHub caps descriptions at 140
// characters, so the problems' codes come first and the details live at
// target_url.

import type { BranchRecord } from '../catalog/branchRecord.js';
import type { Problem } from '../catalog/problem.js';

export const STATUS_CONTEXT = 'rbee-catalog/validate';
const MAX_DESCRIPTION = 140;

export interface CommitStatus {
  readonly sha: string;
  readonly state: 'success' | 'failure' | 'error';
  readonly description: string;
  readonly context: string;
  readonly target_url?: string;
}

export function commitStatusFor(record: BranchRecord, publicBaseUrl: string | undefined): CommitStatus {
  const target = publicBaseUrl === undefined ? {} : { target_url: `${publicBaseUrl}/v1/workers/${encodeURIComponent(record.name)}/problems` };
  const served = record.workers[0];
  if (record.rejected !== undefined) {
    const keeps = served === undefined ? '' : `; still serving ${served.version}`;
    return { sha: record.rejected.oid, state: 'failure', description: describe('Rejected', record.rejected.problems, keeps), context: STATUS_CONTEXT, ...target };
  }
  if (served === undefined) {
    const unreadable = record.problems.some((problem) => problem.code === 'GIT_READ_FAILED');
    return { sha: record.oid, state: unreadable ? 'error' : 'failure', description: describe(unreadable ? 'Could not be read' : 'Rejected', record.problems, ''), context: STATUS_CONTEXT, ...target };
  }
  const warnings = record.problems.filter((problem) => problem.severity === 'warning');
  const description = warnings.length === 0 ? `Served as ${served.version}` : describe(`Served as ${served.version} with warnings`, warnings, '');
  return { sha: record.oid, state: 'success', description: fit(description), context: STATUS_CONTEXT, ...target };
}

/** `Rejected: CODE (file:line), CODE …; suffix`, fitted to GitHub's limit. */
function describe(what: string, problems: readonly Problem[], suffix: string): string {
  const ordered = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const named = ordered.map((problem) => `${problem.code}${problem.file === '' ? '' : ` (${problem.file}${problem.line === undefined ? '' : `:${problem.line}`})`}`);
  let text = `${what}: `;
  for (const [index, name] of named.entries()) {
    const more = named.length - index - 1;
    const candidate = `${text}${index === 0 ? '' : ', '}${name}`;
    if (`${candidate}${more > 0 ? ` +${more}` : ''}${suffix}`.length > MAX_DESCRIPTION) {
      return fit(`${text}${index === 0 ? '' : ' '}+${named.length - index} more${suffix}`);
    }
    text = candidate;
  }
  return fit(`${text}${suffix}`);
}

function fit(text: string): string {
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}
