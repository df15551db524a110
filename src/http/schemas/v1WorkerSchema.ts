// The v1 worker entry (src/catalog/v1Entry.ts) as a JSON Schema, shared by
// every route that answers with one, so /openapi.json documents it once.
// Entries are sent as prebuilt bytes, so this schema documents them; it is
// never used to serialise them (a test checks real entries against it).

const stringList = { type: 'array', items: { type: 'string' } } as const;
/** `{"all": […], "x86_64": […], …}`: the generic list under `all`, each architecture's own under its name. */
const byArch = { type: 'object', additionalProperties: stringList } as const;

export const v1WorkerSchema = {
  $id: 'V1Worker',
  type: 'object',
  required: ['id', 'branch', 'name', 'description', 'version', 'workerType', 'platforms', 'architectures', 'license', 'tags', 'package', 'commit', 'files', 'git', 'problems', 'rejectedNewerCommit'],
  properties: {
    id: { type: 'string' },
    branch: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    version: { type: 'string', description: '[epoch:]pkgver-pkgrel' },
    workerType: { type: 'string', description: 'The acceleration backend: cpu, cuda, metal or rocm.' },
    implementation: { type: 'string' },
    platforms: stringList,
    architectures: stringList,
    license: { type: 'string' },
    homepage: { type: 'string' },
    tags: stringList,
    maintainers: stringList,
    capabilities: { type: 'object' },
    requiresLicense: { type: 'boolean' },
    licenseUrl: { type: 'string' },
    pricing: { type: 'object' },
    package: {
      type: 'object',
      required: ['pkgbase', 'pkgnames', 'arch', 'depends', 'makedepends', 'optdepends', 'provides', 'source', 'checksums'],
      properties: {
        pkgbase: { type: 'string' },
        pkgnames: stringList,
        pkgver: { type: 'string' },
        pkgrel: { type: 'string' },
        epoch: { type: 'string' },
        pkgdesc: { type: 'string' },
        url: { type: 'string' },
        arch: stringList,
        license: stringList,
        groups: stringList,
        depends: byArch,
        makedepends: byArch,
        checkdepends: byArch,
        optdepends: {
          type: 'object',
          additionalProperties: {
            type: 'array',
            items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, description: { type: 'string' } } },
          },
        },
        provides: byArch,
        conflicts: byArch,
        replaces: byArch,
        source: byArch,
        checksums: { type: 'object', additionalProperties: byArch, description: 'By algorithm (sha256sums, b2sums, …), each split by architecture.' },
      },
    },
    commit: { type: 'object', required: ['oid', 'time'], properties: { oid: { type: 'string' }, time: { type: 'string', format: 'date-time' } } },
    files: { type: 'object', additionalProperties: { type: 'string' }, description: 'Served file name → its URL path.' },
    git: { type: 'object', required: ['url', 'branch', 'cloneCommand'], properties: { url: { type: 'string' }, branch: { type: 'string' }, cloneCommand: { type: 'string' } } },
    problems: { type: 'array', items: { $ref: 'Problem#' } },
    rejectedNewerCommit: {
      description: 'A newer commit of the branch that failed validation; this entry is the last good version.',
      oneOf: [
        { type: 'null' },
        { type: 'object', required: ['oid', 'time', 'problems'], properties: { oid: { type: 'string' }, time: { type: ['string', 'null'] }, problems: { type: 'array', items: { $ref: 'Problem#' } } } },
      ],
    },
  },
} as const;

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  required: ['code', 'severity', 'file', 'message'],
  properties: {
    code: { type: 'string' },
    severity: { enum: ['error', 'warning'] },
    file: { type: 'string' },
    line: { type: 'integer' },
    message: { type: 'string' },
  },
} as const;
