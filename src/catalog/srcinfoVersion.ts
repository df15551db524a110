// srcinfoVersion: the version a .SRCINFO gives the package a branch serves —
// the package named after the branch, else its first — chosen exactly as
// indexBranch chooses it; undefined when the text yields none.

import { formatVersion, parseSrcinfo, resolvePackage } from '../parse/srcinfo.js';

export function srcinfoVersion(text: string, branch: string): string | undefined {
  const srcinfo = parseSrcinfo(text).value;
  if (srcinfo === undefined) return undefined;
  const pkgname = srcinfo.packages.some((pkg) => pkg.name === branch) ? branch : srcinfo.packages[0]?.name;
  const fields = pkgname === undefined ? undefined : resolvePackage(srcinfo, pkgname);
  return fields === undefined ? undefined : formatVersion(fields);
}
