// The shell around a catalog script's main(): its exit code, and how a
// failure reads — `name: CODE: message` for our coded errors, the stack for
// anything unexpected (exit 2, as for bad usage: it is a bug to report).

/** `CODE: message` for an error with a stable code, else its message. */
export function describeFailure(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return `${typeof code === 'string' ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)}`;
}

export function runScriptMain(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (error: unknown) => {
    process.stderr.write(`${name}: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
