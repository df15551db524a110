// srcinfoVersion: the version a .SRCINFO gives the package a branch serves,
// chosen exactly as the index chooses it (servedPackage); undefined when the
// text yields none.

import { parseSrcinfo } from '../parse/srcinfo.js';
import { servedPackage } from './servedPackage.js';

export function srcinfoVersion(text: string, branch: string): string | undefined {
  const srcinfo = parseSrcinfo(text).value;
  return srcinfo === undefined ? undefined : servedPackage(srcinfo, branch)?.version;
}
