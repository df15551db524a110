// printsrcinfo: the .SRCINFO for a PKGBUILD, as `makepkg --printsrcinfo`
// prints it (without its two header comment lines) — read, never run.
//
//   npm run printsrcinfo -- path/to/PKGBUILD
//
// Exit 0 with the .SRCINFO on stdout; 3 when the result is undecidable
// without running code (the construct and line on stderr); 2 when the file
// cannot be read or parsed (tree-sitter-bash's reading: a few valid but
// unusual constructs are reported here too).

import { readFile } from 'node:fs/promises';
import { printSrcinfo } from '../src/parse/pkgbuildSrcinfo.js';

async function main(): Promise<number> {
  const [file, ...extra] = process.argv.slice(2);
  if (file === undefined || extra.length > 0) {
    process.stderr.write('usage: npm run printsrcinfo -- PKGBUILD\n');
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    process.stderr.write(`printsrcinfo: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const reading = await printSrcinfo(text);
  if (reading.kind === 'decided') {
    process.stdout.write(reading.srcinfo);
    return 0;
  }
  if (reading.kind === 'syntax') {
    process.stderr.write(`${file}:${reading.line}: syntax error: the bash grammar cannot parse this line\n`);
    return 2;
  }
  process.stderr.write(`${file}:${reading.line}: undecidable: ${reading.reason}\n`);
  return 3;
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`printsrcinfo: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(2);
});
