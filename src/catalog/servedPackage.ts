// servedPackage: which package of a .SRCINFO a branch serves — the package
// named after the branch (a split package), else its first — with its
// effective fields and version; undefined when none yields a version. One
// rule for the index (indexBranch) and for branch history (srcinfoVersion).

import { formatVersion, resolvePackage, type Srcinfo, type SrcinfoFields } from '../parse/srcinfo.js';

export function servedPackage(srcinfo: Srcinfo, branch: string): { readonly fields: SrcinfoFields; readonly version: string } | undefined {
  const pkgname = srcinfo.packages.some((pkg) => pkg.name === branch) ? branch : srcinfo.packages[0]?.name;
  const fields = pkgname === undefined ? undefined : resolvePackage(srcinfo, pkgname);
  const version = fields === undefined ? undefined : formatVersion(fields);
  return fields === undefined || version === undefined ? undefined : { fields, version };
}
