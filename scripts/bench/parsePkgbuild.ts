// parsePkgbuild: per-PKGBUILD time of parseBash, readPkgbuild and printSrcinfo
// on the catalog fixtures and the synthetic benchmark template, the median
// of several runs of many calls each; and which parser read each file (the
// fast parser, or tree-sitter when it gave up). A micro-benchmark printing
// numbers, not a test.
//
//   npx tsx scripts/bench/parsePkgbuild.ts [--iterations=1000] [--runs=5]

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBash } from '../../src/parse/bashParser.js';
import { FastBashTree } from '../../src/parse/fastBashNode.js';
import { readPkgbuild } from '../../src/parse/pkgbuildReader.js';
import { printSrcinfo } from '../../src/parse/pkgbuildSrcinfo.js';
import { syntheticWorkerFiles, syntheticWorkerId } from '../lib/syntheticCatalog.js';
import { markdownTable } from './markdownTable.js';

const CATALOG = fileURLToPath(new URL('../../fixtures/catalog/', import.meta.url));
/** Every measurement stops after this long whatever its iteration count, so a slow machine cannot hang it. */
const RUN_BUDGET_MS = 20_000;

function flag(name: string, fallback: number): number {
  const given = process.argv.find((argument) => argument.startsWith(`--${name}=`));
  const value = given === undefined ? fallback : Number(given.slice(name.length + 3));
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a positive integer`);
  return value;
}

/** The median over `runs` of the mean time of one call, in microseconds. */
async function perCall(call: () => Promise<unknown>, iterations: number, runs: number): Promise<number> {
  for (let index = 0; index < Math.min(iterations, 100); index += 1) await call(); // warm up the JIT and the wasm
  const means: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    let done = 0;
    while (done < iterations && performance.now() - started < RUN_BUDGET_MS) {
      await call();
      done += 1;
    }
    means.push(((performance.now() - started) * 1000) / done);
  }
  means.sort((a, b) => a - b);
  return means[Math.floor(means.length / 2)]!;
}

async function main(): Promise<void> {
  const iterations = flag('iterations', 1000);
  const runs = flag('runs', 5);
  const inputs: Array<[string, string]> = [['synthetic template', syntheticWorkerFiles(syntheticWorkerId(0)).get('PKGBUILD')!.toString('utf8')]];
  for (const name of readdirSync(CATALOG).sort()) {
    const file = path.join(CATALOG, name, 'PKGBUILD');
    try {
      inputs.push([name, readFileSync(file, 'utf8')]);
    } catch {
      // a folder without a PKGBUILD (the default branch's) is not a worker
    }
  }
  const rows: string[][] = [];
  for (const [name, text] of inputs) {
    const tree = await parseBash(text);
    const parser = tree instanceof FastBashTree ? 'fast' : 'tree-sitter';
    tree.delete();
    const parse = await perCall(async () => (await parseBash(text)).delete(), iterations, runs);
    const read = await perCall(() => readPkgbuild(text), iterations, runs);
    const srcinfo = await perCall(() => printSrcinfo(text), iterations, runs);
    rows.push([name, parser, parse.toFixed(1), read.toFixed(1), srcinfo.toFixed(1)]);
  }
  const columns = [
    { title: 'PKGBUILD', align: 'left' as const },
    { title: 'parser', align: 'left' as const },
    { title: 'parseBash µs', align: 'right' as const },
    { title: 'readPkgbuild µs', align: 'right' as const },
    { title: 'printSrcinfo µs', align: 'right' as const },
  ];
  process.stdout.write(`${markdownTable(columns, rows)}\n\nmedian of ${runs} runs of ${iterations} calls each\n`);
}

await main();
