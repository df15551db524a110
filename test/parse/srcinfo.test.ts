// Tests for the .SRCINFO parser and resolver. The fixtures under
// fixtures/srcinfo/ are real `makepkg --printsrcinfo` output of the PKGBUILDs
// next to them; the inline texts cover what makepkg never writes.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Problem } from '../../src/catalog/problem.js';
import {
  formatVersion,
  MAX_PROBLEMS,
  parseSrcinfo,
  resolvePackage,
  splitByArch,
  type Srcinfo,
  type SrcinfoFields,
} from '../../src/parse/srcinfo.js';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures/srcinfo');

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name, '.SRCINFO'), 'utf8');
}

/** .SRCINFO text from lines, joined the way makepkg ends them. */
function text(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** [code, line] pairs: what a test asserts about problems (never message text). */
function where(problems: readonly Problem[]): [string, number | undefined][] {
  return problems.map((problem) => [problem.code, problem.line]);
}

function parseOk(input: string): Srcinfo {
  const { value, problems } = parseSrcinfo(input);
  assert.deepEqual(where(problems), []);
  assert.ok(value);
  return value;
}

function fieldsOf(input: string, pkgname: string): SrcinfoFields {
  const { value } = parseSrcinfo(input);
  assert.ok(value);
  const fields = resolvePackage(value, pkgname);
  assert.ok(fields);
  return fields;
}

/** splitByArch as a plain object: deepStrictEqual also compares prototypes, and the result has none. */
function split(fields: SrcinfoFields, baseKey: string): Record<string, readonly string[]> {
  return { ...splitByArch(fields, baseKey) };
}

const MINIMAL = ['pkgbase = demo', '\tpkgver = 1.0', '\tpkgrel = 1', '\tarch = x86_64', '', 'pkgname = demo'];

describe('parseSrcinfo on makepkg output', () => {
  test('a simple package keeps every entry in file order with its line', () => {
    const srcinfo = parseOk(fixture('simple'));
    assert.equal(srcinfo.pkgbase.name, 'sd-worker-rbee-cpu');
    assert.equal(srcinfo.pkgbase.line, 1);
    assert.deepEqual(srcinfo.pkgbase.entries.slice(0, 3), [
      { key: 'pkgdesc', value: 'rbee Stable Diffusion worker = CPU build', line: 2 },
      { key: 'pkgver', value: '1.2.0', line: 3 },
      { key: 'pkgrel', value: '3', line: 4 },
    ]);
    assert.equal(srcinfo.pkgbase.entries.length, 21);
    assert.deepEqual(srcinfo.packages.map((pkg) => [pkg.name, pkg.line, pkg.entries.length]), [['sd-worker-rbee-cpu', 24, 0]]);
  });

  test('a simple package resolves to every pkgbase field, split on the first " = " only', () => {
    const fields = fieldsOf(fixture('simple'), 'sd-worker-rbee-cpu');
    assert.deepEqual([...fields], [
      ['pkgbase', ['sd-worker-rbee-cpu']],
      ['pkgname', ['sd-worker-rbee-cpu']],
      ['pkgdesc', ['rbee Stable Diffusion worker = CPU build']],
      ['pkgver', ['1.2.0']],
      ['pkgrel', ['3']],
      ['url', ['https://github.com/rbee-keeper/rbee']],
      ['install', ['sd-worker-rbee-cpu.install']],
      ['changelog', ['CHANGELOG.md']],
      ['arch', ['x86_64']],
      ['groups', ['rbee-workers']],
      ['license', ['GPL-3.0-or-later', 'MIT']],
      ['makedepends', ['cargo']],
      ['depends', ['gcc-libs', 'openblas>=0.3']],
      ['replaces', ['sd-worker-cpu']],
      ['noextract', ['local.patch']],
      ['source', ['https://example.invalid/sd/v1.2.0.tar.gz', 'local.patch']],
      ['cksums', ['4294967295', 'SKIP']],
      ['md5sums', ['d41d8cd98f00b204e9800998ecf8427e', 'SKIP']],
    ]);
    assert.equal(formatVersion(fields), '1.2.0-3');
  });

  test('a split package inherits pkgbase keys and applies each package override', () => {
    const srcinfo = parseOk(fixture('split-package'));
    assert.deepEqual(srcinfo.packages.map((pkg) => pkg.name),
      ['llm-worker-rbee', 'llm-worker-rbee-cuda', 'llm-worker-rbee-docs']);

    const main = resolvePackage(srcinfo, 'llm-worker-rbee');
    assert.ok(main);
    assert.deepEqual(main.get('depends'), ['gcc-libs', 'openssl']);
    assert.deepEqual(main.get('arch'), ['x86_64', 'aarch64']);
    assert.equal(formatVersion(main), '1:0.3.1-2');

    const cuda = resolvePackage(srcinfo, 'llm-worker-rbee-cuda');
    assert.ok(cuda);
    assert.deepEqual(cuda.get('pkgdesc'), ['rbee LLM inference worker (CUDA)']);
    assert.deepEqual(cuda.get('arch'), ['x86_64']);
    // Replaced, not appended to, and the duplicate is kept.
    assert.deepEqual(cuda.get('depends'), ['gcc-libs', 'openssl', 'cuda', 'cuda']);
    assert.deepEqual(cuda.get('provides'), ['llm-worker-rbee']);
    assert.deepEqual(cuda.get('makedepends'), ['cargo', 'git']);
    // Overriding `depends` leaves `depends_x86_64` alone.
    assert.deepEqual(cuda.get('depends_x86_64'), ['onednn']);
    assert.deepEqual(split(cuda, 'depends'), { all: ['gcc-libs', 'openssl', 'cuda', 'cuda'], x86_64: ['onednn'] });
  });

  test('`key = ` in a package section unsets the inherited key', () => {
    const srcinfo = parseOk(fixture('split-package'));
    const docsSection = srcinfo.packages[2];
    assert.ok(docsSection);
    assert.deepEqual(docsSection.entries.filter((entry) => entry.key === 'depends'), [{ key: 'depends', value: '', line: 40 }]);

    const docs = resolvePackage(srcinfo, 'llm-worker-rbee-docs');
    assert.ok(docs);
    assert.equal(docs.has('depends'), false);
    assert.equal(docs.has('optdepends'), false);
    assert.equal(docs.has('backup'), false);
    assert.deepEqual(docs.get('arch'), ['any']);
    assert.deepEqual(docs.get('options'), ['!lto']);
    // The .SRCINFO does not unset depends_x86_64, so it is still inherited.
    assert.deepEqual(split(docs, 'depends'), { x86_64: ['onednn'] });
  });

  test('arch-specific sources and checksums stay apart, in order, with repeated SKIPs', () => {
    const fields = fieldsOf(fixture('binary-multiarch'), 'llm-worker-rbee-bin');
    assert.deepEqual(split(fields, 'source'), {
      all: ['LICENSE', 'rbee-worker.service', 'rbee-worker.sysusers'],
      x86_64: [
        'llm-worker-rbee-bin-0.3.1-x86_64.tar.zst::https://example.invalid/v0.3.1/x86_64.tar.zst',
        'llm-worker-rbee-bin-0.3.1-x86_64.sig::https://example.invalid/v0.3.1/x86_64.tar.zst.sig',
      ],
      aarch64: [
        'llm-worker-rbee-bin-0.3.1-aarch64.tar.zst::https://example.invalid/v0.3.1/aarch64.tar.zst',
        'llm-worker-rbee-bin-0.3.1-aarch64.sig::https://example.invalid/v0.3.1/aarch64.tar.zst.sig',
      ],
    });
    assert.deepEqual(split(fields, 'sha256sums'), {
      all: ['SKIP', 'SKIP', 'SKIP'],
      x86_64: ['2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae', 'SKIP'],
      aarch64: ['fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9', 'SKIP'],
    });
    assert.deepEqual(split(fields, 'b2sums'), { x86_64: ['SKIP', 'SKIP'] });
    assert.deepEqual(split(fields, 'depends'), { all: ['glibc'], x86_64: ['cuda'], aarch64: ['vulkan-icd-loader'] });
    assert.deepEqual(fields.get('validpgpkeys'), ['0123456789ABCDEF0123456789ABCDEF01234567']);
    // makepkg wrote `epoch = 0`; the version leaves it out as makepkg does.
    assert.deepEqual(fields.get('epoch'), ['0']);
    assert.equal(formatVersion(fields), '0.3.1-1');
  });
});

describe('parseSrcinfo line handling', () => {
  test('CRLF line endings and a UTF-8 BOM parse exactly like LF', () => {
    const lf = fixture('split-package');
    const crlf = `\uFEFF${lf.replaceAll('\n', '\r\n')}`;
    const result = parseSrcinfo(crlf);
    assert.deepEqual(where(result.problems), []);
    assert.deepEqual(result.value, parseSrcinfo(lf).value);
  });

  test('comments, blank lines and indentation are ignored; values keep # and inner spaces', () => {
    const srcinfo = parseOk(text(
      '# Generated by makepkg 6.1.0',
      '# Sat Jan  1 00:00:00 UTC 2025',
      'pkgbase = demo',
      '',
      '   \t# an indented comment',
      '\tpkgdesc = C# bindings  for  rbee # not a comment',
      '  \t  pkgver = 1.0',
      '\tpkgrel = 1   ',
      '\t\t',
      '\tarch = x86_64',
      'pkgname = demo',
    ));
    assert.deepEqual(srcinfo.pkgbase.entries, [
      { key: 'pkgdesc', value: 'C# bindings  for  rbee # not a comment', line: 6 },
      { key: 'pkgver', value: '1.0', line: 7 },
      { key: 'pkgrel', value: '1', line: 8 },
      { key: 'arch', value: 'x86_64', line: 10 },
    ]);
    assert.equal(srcinfo.pkgbase.line, 3);
    assert.deepEqual(srcinfo.packages.map((pkg) => pkg.line), [11]);
  });

  test('`key =` and `key = ` are both an empty value; a value may itself contain " = "', () => {
    const srcinfo = parseOk(text(...MINIMAL, '\tdepends =', '\toptdepends = ', '\tpkgdesc = a = b =', '\tprovides = = x'));
    assert.deepEqual(srcinfo.packages[0]?.entries, [
      { key: 'depends', value: '', line: 7 },
      { key: 'optdepends', value: '', line: 8 },
      { key: 'pkgdesc', value: 'a = b =', line: 9 },
      { key: 'provides', value: '= x', line: 10 },
    ]);
  });

  test('an empty value in pkgbase contributes nothing', () => {
    const fields = fieldsOf(text('pkgbase = demo', '\tpkgdesc = ', '\tpkgver = 1.0', '\tpkgrel = 1', '\tarch = x86_64', '\tdepends =', 'pkgname = demo'), 'demo');
    assert.equal(fields.has('pkgdesc'), false);
    assert.equal(fields.has('depends'), false);
    assert.deepEqual(fields.get('pkgver'), ['1.0']);
  });

  test('a file without a final newline keeps its last line', () => {
    const srcinfo = parseOk(`${text(...MINIMAL)}\tdepends = last`);
    assert.deepEqual(srcinfo.packages[0]?.entries, [{ key: 'depends', value: 'last', line: 7 }]);
  });
});

describe('resolvePackage', () => {
  const SPLIT = text(
    'pkgbase = base',
    '\tpkgver = 2.0',
    '\tpkgrel = 1',
    '\tarch = x86_64',
    '\tdepends = a',
    '\tdepends = b',
    '\tdepends_x86_64 = c',
    '\tlicense = MIT',
    '\tx_custom = kept',
    'pkgname = one',
    '\tdepends = z',
    '\tdepends = z',
    '\tdepends = y',
    '\tdepends_x86_64 = ',
    '\tgroups = g',
    'pkgname = two',
    '\tlicense =',
    '\tlicense = Apache-2.0',
  );

  test('an override replaces per exact key and keeps order and duplicates', () => {
    const fields = fieldsOf(SPLIT, 'one');
    assert.deepEqual(fields.get('depends'), ['z', 'z', 'y']);
    assert.equal(fields.has('depends_x86_64'), false);
    assert.deepEqual(fields.get('groups'), ['g']);
    assert.deepEqual(fields.get('x_custom'), ['kept']);
    // Inherited keys keep pkgbase order; keys new in the package follow.
    assert.deepEqual([...fields.keys()],
      ['pkgbase', 'pkgname', 'pkgver', 'pkgrel', 'arch', 'depends', 'license', 'x_custom', 'groups']);
  });

  test('an empty value followed by values in the same package section keeps only the values', () => {
    assert.deepEqual(fieldsOf(SPLIT, 'two').get('license'), ['Apache-2.0']);
    assert.deepEqual(fieldsOf(SPLIT, 'two').get('depends'), ['a', 'b']);
  });

  test('an unknown package name gives undefined', () => {
    const { value } = parseSrcinfo(SPLIT);
    assert.ok(value);
    assert.equal(resolvePackage(value, 'three'), undefined);
    assert.equal(resolvePackage(value, 'base'), undefined);
  });

  test('pkgbase-only keys in a hand-built package section are ignored', () => {
    const srcinfo: Srcinfo = {
      pkgbase: { name: 'b', line: 1, entries: [{ key: 'pkgver', value: '1', line: 2 }, { key: 'source_x86_64', value: 's', line: 3 }] },
      packages: [{ name: 'p', line: 4, entries: [{ key: 'pkgver', value: '9', line: 5 }, { key: 'source_x86_64', value: 'evil', line: 6 }] }],
    };
    const fields = resolvePackage(srcinfo, 'p');
    assert.deepEqual(fields?.get('pkgver'), ['1']);
    assert.deepEqual(fields?.get('source_x86_64'), ['s']);
  });
});

describe('formatVersion', () => {
  const version = (entries: Record<string, string>): string | undefined =>
    formatVersion(new Map(Object.entries(entries).map(([key, value]) => [key, [value]])));

  test('epoch is written when set and not zero', () => {
    assert.equal(version({ pkgver: '1.0', pkgrel: '1' }), '1.0-1');
    assert.equal(version({ pkgver: '1.0', pkgrel: '1', epoch: '0' }), '1.0-1');
    assert.equal(version({ pkgver: '1.0', pkgrel: '1', epoch: '00' }), '1.0-1');
    assert.equal(version({ pkgver: '1.0', pkgrel: '1', epoch: '2' }), '2:1.0-1');
    assert.equal(version({ pkgver: '1.0', pkgrel: '1', epoch: '10' }), '10:1.0-1');
    assert.equal(version({ pkgver: 'r12.abc', pkgrel: '1.1', epoch: 'x' }), 'x:r12.abc-1.1');
  });

  test('is undefined without pkgver or pkgrel', () => {
    assert.equal(version({ pkgrel: '1' }), undefined);
    assert.equal(version({ pkgver: '1.0' }), undefined);
    assert.equal(version({ pkgver: '1.0', epoch: '1' }), undefined);
  });

  test('works on parsed input', () => {
    assert.equal(formatVersion(fieldsOf(text(...MINIMAL.slice(0, 3), '\tepoch = 3', ...MINIMAL.slice(3)), 'demo')), '3:1.0-1');
  });
});

describe('splitByArch', () => {
  test('has no `all` without generic values and nothing for absent keys', () => {
    const fields: SrcinfoFields = new Map([['source_aarch64', ['a']], ['license', ['MIT']]]);
    assert.deepEqual(split(fields, 'source'), { aarch64: ['a'] });
    assert.deepEqual(Object.keys(splitByArch(fields, 'depends')), []);
  });

  test('keys without arch variants only give `all`; a `_all` suffix cannot shadow the generic list', () => {
    const fields: SrcinfoFields = new Map([
      ['license', ['MIT']], ['license_x86_64', ['GPL']],
      ['depends', ['a']], ['depends_all', ['evil']], ['makedepends_x86_64', ['m']],
    ]);
    assert.deepEqual(split(fields, 'license'), { all: ['MIT'] });
    assert.deepEqual(split(fields, 'depends'), { all: ['a'] });
    assert.deepEqual(split(fields, 'makedepends'), { x86_64: ['m'] });
  });

  test('returns a frozen null-prototype object with copies of the lists', () => {
    const depends = ['a'];
    const split = splitByArch(new Map([['depends', depends]]), 'depends');
    assert.equal(Object.getPrototypeOf(split), null);
    assert.equal(Object.isFrozen(split), true);
    assert.notEqual(split.all, depends);
  });
});

describe('problems', () => {
  test('every problem names .SRCINFO, and they come in line order', () => {
    const { problems } = parseSrcinfo(text('pkgbase = b', 'oops', '\tarch = x86_64', '\tfoo = 1', 'pkgname = p', '\tpkgver = 2'));
    assert.deepEqual(where(problems), [
      ['SRCINFO_MISSING_REQUIRED', 1],
      ['SRCINFO_MISSING_REQUIRED', 1],
      ['SRCINFO_SYNTAX', 2],
      ['SRCINFO_UNKNOWN_KEY', 4],
      ['SRCINFO_KEY_NOT_ALLOWED', 6],
    ]);
    assert.deepEqual(new Set(problems.map((problem) => problem.file)), new Set(['.SRCINFO']));
  });

  test('SRCINFO_SYNTAX for a line without " = " or without a well-formed key', () => {
    const { value, problems } = parseSrcinfo(text(
      'pkgbase = demo', '\tpkgver 1.0', '\tpkgver=1.0', '\t= 1.0', '\tpkg ver = 1.0', '\tpkg-ver = 1', '\tpkgver\t=\t1',
      ...MINIMAL.slice(1),
    ));
    assert.deepEqual(where(problems), [2, 3, 4, 5, 6, 7].map((line) => ['SRCINFO_SYNTAX', line]));
    assert.equal(problems.every((problem) => problem.severity === 'error'), true);
    // The bad lines are left out, so the good pkgver is not a duplicate.
    assert.deepEqual(value?.pkgbase.entries.map((entry) => entry.line), [8, 9, 10]);
  });

  test('SRCINFO_EMPTY for an empty file, blank lines, comments or a BOM only', () => {
    for (const input of ['', '\n\n', '# Generated by makepkg\n\n\t# nothing\n', '\uFEFF', '\r\n \t\r\n']) {
      const { value, problems } = parseSrcinfo(input);
      assert.equal(value, undefined);
      assert.deepEqual(where(problems), [['SRCINFO_EMPTY', undefined]]);
      assert.equal(problems[0]?.severity, 'error');
    }
  });

  test('SRCINFO_NO_PKGBASE when there is no pkgbase line at all', () => {
    const { value, problems } = parseSrcinfo(text('# only garbage', 'hello world'));
    assert.equal(value, undefined);
    assert.deepEqual(where(problems), [['SRCINFO_SYNTAX', 2], ['SRCINFO_NO_PKGBASE', undefined]]);
  });

  test('SRCINFO_NO_PKGBASE on the first line when pkgbase is not first; later lines still parse', () => {
    const { value, problems } = parseSrcinfo(text('# header', 'pkgname = early', '\tpkgver = 0', ...MINIMAL));
    assert.deepEqual(where(problems), [['SRCINFO_NO_PKGBASE', 2]]);
    assert.equal(value?.pkgbase.line, 4);
    assert.deepEqual(value?.packages.map((pkg) => pkg.name), ['demo']);
  });

  test('SRCINFO_NO_PKGNAME on the pkgbase line when no package follows', () => {
    const { value, problems } = parseSrcinfo(text(...MINIMAL.slice(0, 4)));
    assert.deepEqual(where(problems), [['SRCINFO_NO_PKGNAME', 1]]);
    assert.deepEqual(value?.packages, []);
  });

  test('SRCINFO_DUPLICATE_PKGBASE; the second section is ignored', () => {
    const { value, problems } = parseSrcinfo(text(...MINIMAL, 'pkgbase = other', '\tpkgver = 9', 'pkgname = second'));
    assert.deepEqual(where(problems), [['SRCINFO_DUPLICATE_PKGBASE', 7]]);
    assert.equal(value?.pkgbase.name, 'demo');
    assert.deepEqual(value?.pkgbase.entries.map((entry) => entry.value), ['1.0', '1', 'x86_64']);
    assert.deepEqual(value?.packages.map((pkg) => pkg.name), ['demo', 'second']);
  });

  test('SRCINFO_DUPLICATE_PKGNAME; the first section wins', () => {
    const { value, problems } = parseSrcinfo(text(...MINIMAL, '\tpkgdesc = first', 'pkgname = demo', '\tpkgdesc = second'));
    assert.deepEqual(where(problems), [['SRCINFO_DUPLICATE_PKGNAME', 8]]);
    assert.equal(value?.packages.length, 1);
    assert.ok(value);
    assert.deepEqual(resolvePackage(value, 'demo')?.get('pkgdesc'), ['first']);
  });

  test('SRCINFO_EMPTY_NAME for `pkgbase =` and `pkgname = `', () => {
    const { value, problems } = parseSrcinfo(text('pkgbase =', '\tpkgver = 1', '\tpkgrel = 1', '\tarch = any', 'pkgname = '));
    assert.deepEqual(where(problems), [['SRCINFO_EMPTY_NAME', 1], ['SRCINFO_EMPTY_NAME', 5]]);
    assert.equal(value?.pkgbase.name, '');
    assert.ok(value);
    const fields = resolvePackage(value, '');
    assert.equal(fields?.has('pkgbase'), false);
    assert.equal(fields?.has('pkgname'), false);
  });

  test('SRCINFO_DUPLICATE_KEY for a repeated single-valued key, in either section; the first value wins', () => {
    const { value, problems } = parseSrcinfo(text(
      'pkgbase = demo', '\tpkgver = 1.0', '\tpkgver = 2.0', '\tpkgrel = 1', '\tarch = x86_64', '\tarch = aarch64',
      'pkgname = demo', '\turl = https://a.invalid', '\turl = https://b.invalid',
    ));
    assert.deepEqual(where(problems), [['SRCINFO_DUPLICATE_KEY', 3], ['SRCINFO_DUPLICATE_KEY', 9]]);
    assert.equal(problems.every((problem) => problem.severity === 'error'), true);
    assert.ok(value);
    const fields = resolvePackage(value, 'demo');
    assert.deepEqual(fields?.get('pkgver'), ['1.0']);
    assert.deepEqual(fields?.get('url'), ['https://a.invalid']);
    assert.deepEqual(fields?.get('arch'), ['x86_64', 'aarch64']);
  });

  test('SRCINFO_UNKNOWN_KEY is a warning and the entry is kept', () => {
    const { value, problems } = parseSrcinfo(text(...MINIMAL, '\tpkgdesk = typo', '\tnoextract_x86_64 = n', '\tlicense_x86_64 = l', '\tdepends_ = d'));
    assert.deepEqual(where(problems), [7, 8, 9, 10].map((line) => ['SRCINFO_UNKNOWN_KEY', line]));
    assert.equal(problems.every((problem) => problem.severity === 'warning'), true);
    assert.deepEqual(value?.packages[0]?.entries.map((entry) => entry.key), ['pkgdesk', 'noextract_x86_64', 'license_x86_64', 'depends_']);
  });

  test('SRCINFO_KEY_NOT_ALLOWED for pkgbase-only keys in a package section; they are dropped', () => {
    const keys = ['pkgver', 'pkgrel', 'epoch', 'makedepends', 'checkdepends_x86_64', 'source', 'source_x86_64', 'sha256sums',
      'b2sums_x86_64', 'cksums', 'validpgpkeys', 'noextract'];
    const { value, problems } = parseSrcinfo(text(...MINIMAL, ...keys.map((key) => `\t${key} = x`), '\tdepends_x86_64 = ok'));
    assert.deepEqual(where(problems), keys.map((_, index) => ['SRCINFO_KEY_NOT_ALLOWED', 7 + index]));
    assert.equal(problems.every((problem) => problem.severity === 'error'), true);
    assert.deepEqual(value?.packages[0]?.entries, [{ key: 'depends_x86_64', value: 'ok', line: 7 + keys.length }]);
    assert.ok(value);
    assert.equal(formatVersion(resolvePackage(value, 'demo') ?? new Map()), '1.0-1');
  });

  test('SRCINFO_MISSING_REQUIRED for pkgver and pkgrel on the pkgbase line', () => {
    const { problems } = parseSrcinfo(text('', 'pkgbase = demo', '\tpkgver = ', '\tarch = x86_64', 'pkgname = demo'));
    assert.deepEqual(where(problems), [['SRCINFO_MISSING_REQUIRED', 2], ['SRCINFO_MISSING_REQUIRED', 2]]);
    assert.equal(problems.every((problem) => problem.severity === 'error'), true);
  });

  test('SRCINFO_MISSING_REQUIRED for arch per package, on the line of the package without one', () => {
    const noBaseArch = ['pkgbase = demo', '\tpkgver = 1', '\tpkgrel = 1'];
    assert.deepEqual(where(parseSrcinfo(text(...noBaseArch, 'pkgname = a', '\tarch = x86_64', 'pkgname = b')).problems),
      [['SRCINFO_MISSING_REQUIRED', 6]]);
    assert.deepEqual(where(parseSrcinfo(text(...noBaseArch, 'pkgname = a', '\tarch = any')).problems), []);
    assert.deepEqual(where(parseSrcinfo(text(...MINIMAL, '\tarch = ', 'pkgname = other')).problems),
      [['SRCINFO_MISSING_REQUIRED', 6]]);
    assert.deepEqual(where(parseSrcinfo(text(...noBaseArch)).problems),
      [['SRCINFO_NO_PKGNAME', 1], ['SRCINFO_MISSING_REQUIRED', 1]]);
  });

  test('SRCINFO_ARCH_UNKNOWN (warning) for a KEY_ARCH whose arch the section does not list', () => {
    const { value, problems } = parseSrcinfo(text(
      ...MINIMAL.slice(0, 4),
      '\tsource_x86_64 = ok',
      '\tsource_aarch64 = not-listed',
      '\tsha256sums_armv7h = not-listed',
      'pkgname = any-pkg',
      '\tarch = any',
      '\tdepends_x86_64 = not-built-for-x86_64',
      'pkgname = inherits',
      '\tdepends_x86_64 = fine',
      'pkgname = narrows',
      '\tarch = aarch64',
      '\tprovides_aarch64 = fine',
      '\tconflicts_x86_64 = not-listed',
    ));
    assert.deepEqual(where(problems), [6, 7, 10, 16].map((line) => ['SRCINFO_ARCH_UNKNOWN', line]));
    assert.equal(problems.every((problem) => problem.severity === 'warning'), true);
    // A warning keeps the entry.
    assert.ok(value);
    assert.deepEqual(split(resolvePackage(value, 'any-pkg') ?? new Map(), 'source'), { x86_64: ['ok'], aarch64: ['not-listed'] });
  });

  test('SRCINFO_TOO_MANY_PROBLEMS caps the list and keeps the worst severity', () => {
    const errors = parseSrcinfo(text(...MINIMAL, ...Array.from({ length: 500 }, () => 'garbage'))).problems;
    assert.equal(errors.length, MAX_PROBLEMS + 1);
    assert.deepEqual(where(errors.slice(0, 2)), [['SRCINFO_SYNTAX', 7], ['SRCINFO_SYNTAX', 8]]);
    assert.deepEqual(where(errors.slice(-1)), [['SRCINFO_TOO_MANY_PROBLEMS', undefined]]);
    assert.equal(errors.at(-1)?.severity, 'error');

    const warnings = parseSrcinfo(text(...MINIMAL, ...Array.from({ length: 500 }, (_, index) => `\tx${index} = y`))).problems;
    assert.equal(warnings.length, MAX_PROBLEMS + 1);
    assert.equal(warnings.at(-1)?.code, 'SRCINFO_TOO_MANY_PROBLEMS');
    assert.equal(warnings.at(-1)?.severity, 'warning');

    assert.equal(parseSrcinfo(text(...MINIMAL, ...Array.from({ length: MAX_PROBLEMS }, () => 'garbage'))).problems.length, MAX_PROBLEMS);
  });

  test('messages stay short and printable whatever the input', () => {
    const hostile = `${'\u0000\u001b[31m'.repeat(10)}${'x'.repeat(1_000_000)}`;
    const { problems } = parseSrcinfo(text(hostile, `pkgbase = ${hostile}`, `\t${'k'.repeat(100_000)} = v`, `pkgname = ${hostile}`, `pkgname = ${hostile}`));
    assert.deepEqual(where(problems).map(([code]) => code), [
      'SRCINFO_SYNTAX', 'SRCINFO_MISSING_REQUIRED', 'SRCINFO_MISSING_REQUIRED', 'SRCINFO_UNKNOWN_KEY', 'SRCINFO_MISSING_REQUIRED', 'SRCINFO_DUPLICATE_PKGNAME',
    ]);
    for (const problem of problems) {
      assert.ok(problem.message.length < 600, `${problem.code} message is ${problem.message.length} characters`);
      assert.doesNotMatch(problem.message, /[\u0000-\u001f\u007f]/);
    }
  });
});

interface ChildParse {
  readonly ms: number;
  readonly pkgbaseName: string | undefined;
  readonly pkgbaseEntries: number | undefined;
  readonly packages: number | undefined;
  /** [code, line, severity]; JSON turns a missing line into null. */
  readonly problems: readonly [string, number | null, string][];
}

const PARSER_URL = pathToFileURL(path.join(import.meta.dirname, '../../src/parse/srcinfo.ts')).href;

/**
 * Parses `input` in a child process with a deadline. A quadratic regression
 * is synchronous, so no in-process test timeout could interrupt it: the run
 * would hang instead of failing.
 */
function parseInChild(input: string): ChildParse {
  const script = `
    import { parseSrcinfo } from ${JSON.stringify(PARSER_URL)};
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    const started = performance.now();
    const { value, problems } = parseSrcinfo(text);
    const ms = performance.now() - started;
    process.stdout.write(JSON.stringify({
      ms,
      pkgbaseName: value?.pkgbase.name.slice(0, 20),
      pkgbaseEntries: value?.pkgbase.entries.length,
      packages: value?.packages.length,
      problems: problems.map((problem) => [problem.code, problem.line, problem.severity]),
    }));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    input: Buffer.from(input, 'utf8'),
    timeout: 30_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  assert.equal(child.error, undefined, 'the parser did not finish within 30 s');
  assert.equal(child.status, 0, child.stderr.toString('utf8').slice(0, 2000));
  return JSON.parse(child.stdout.toString('utf8')) as ChildParse;
}

describe('hostile input', () => {
  /** Deterministic bytes (as latin1 characters) so a failure can be reproduced. */
  function garbage(size: number, seed: number): string {
    const bytes = new Uint8Array(size);
    let state = seed;
    for (let index = 0; index < size; index += 1) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      bytes[index] = state >>> 24;
    }
    return Buffer.from(bytes).toString('latin1');
  }

  test('10 MB of binary garbage with NUL bytes gives problems, not exceptions, quickly', () => {
    const input = garbage(10 * 1024 * 1024, 42);
    assert.ok(input.includes('\u0000'));
    const result = parseInChild(input);
    assert.ok(result.ms < 5000, `took ${Math.round(result.ms)} ms`);
    assert.equal(result.pkgbaseName, undefined);
    assert.equal(result.problems.length, MAX_PROBLEMS + 1);
    assert.deepEqual(result.problems.at(-1), ['SRCINFO_TOO_MANY_PROBLEMS', null, 'error']);
  });

  test('10 MB of well-formed lines stays fast', () => {
    const result = parseInChild(`pkgbase = b\n${'\tdepends_x = y\n'.repeat(700_000)}`);
    // About 1 s here; quadratic work on 700,000 lines would take hours.
    assert.ok(result.ms < 10_000, `took ${Math.round(result.ms)} ms`);
    assert.equal(result.pkgbaseEntries, 700_000);
  });

  test('very long lines of blanks and separators stay fast', () => {
    const result = parseInChild(`pkgbase = ${' \t'.repeat(2_500_000)}x\n${'=  '.repeat(2_000_000)}\n${'a'.repeat(5_000_000)} =${' '.repeat(1_000_000)}\n`);
    assert.ok(result.ms < 5000, `took ${Math.round(result.ms)} ms`);
    assert.equal(result.pkgbaseName, ' \t'.repeat(10));
    assert.deepEqual(result.problems.filter(([code]) => code !== 'SRCINFO_MISSING_REQUIRED'),
      [['SRCINFO_NO_PKGNAME', 1, 'error'], ['SRCINFO_SYNTAX', 2, 'error'], ['SRCINFO_UNKNOWN_KEY', 3, 'warning']]);
  });

  test('many packages inheriting one long arch list stay fast', () => {
    const result = parseInChild(text('pkgbase = b', '\tpkgver = 1', '\tpkgrel = 1',
      ...Array.from({ length: 50_000 }, (_, index) => `\tarch = a${index}`),
      ...Array.from({ length: 50_000 }, (_, index) => `pkgname = p${index}\n\tdepends_zz = q`)));
    assert.ok(result.ms < 5000, `took ${Math.round(result.ms)} ms`);
    assert.equal(result.packages, 50_000);
    assert.deepEqual(result.problems[0], ['SRCINFO_ARCH_UNKNOWN', 50_005, 'warning']);
  });

  test('__proto__ and constructor as keys, arches and names stay plain data', () => {
    const input = text(
      'pkgbase = __proto__',
      '\tpkgver = 1',
      '\tpkgrel = 1',
      '\tarch = __proto__',
      '\tarch = constructor',
      '\t__proto__ = polluted',
      '\tconstructor = polluted',
      '\tdepends___proto__ = evil',
      '\tdepends_constructor = ctor',
      '\tdepends_toString = s',
      'pkgname = constructor',
      'pkgname = __proto__',
      '\tpolluted = yes',
    );
    const { value, problems } = parseSrcinfo(input);
    assert.deepEqual(where(problems), [['SRCINFO_UNKNOWN_KEY', 6], ['SRCINFO_UNKNOWN_KEY', 7], ['SRCINFO_ARCH_UNKNOWN', 10], ['SRCINFO_UNKNOWN_KEY', 13]]);
    assert.ok(value);
    assert.deepEqual(value.packages.map((pkg) => pkg.name), ['constructor', '__proto__']);

    const fields = resolvePackage(value, '__proto__');
    assert.ok(fields);
    assert.deepEqual(fields.get('__proto__'), ['polluted']);
    assert.deepEqual(fields.get('constructor'), ['polluted']);
    assert.deepEqual(fields.get('pkgbase'), ['__proto__']);

    const split = splitByArch(fields, 'depends');
    assert.equal(Object.getPrototypeOf(split), null);
    assert.deepEqual(Object.keys(split), ['__proto__', 'constructor', 'toString']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(split, '__proto__')?.value, ['evil']);
    assert.deepEqual(split.constructor, ['ctor']);

    const probe: Record<string, unknown> = {};
    assert.equal(probe.polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    assert.equal(typeof probe.constructor, 'function');
    assert.equal(resolvePackage(value, 'toString'), undefined);
    assert.equal(resolvePackage(value, 'hasOwnProperty'), undefined);
  });
});
