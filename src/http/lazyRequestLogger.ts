// lazyChildLogger: Fastify's childLoggerFactory, building each request's pino
// child (the one that binds reqId) only when the request logs something.
// Pino serialises and redacts the bindings as it builds a child, a few per
// cent of a small answer's cost, and at the usual levels most requests log
// nothing but their completed line, which is info. The lines written are the
// child's own: the same bindings, redaction and level as an eager child's.

import type { FastifyBaseLogger } from 'fastify';

type Bindings = Record<string, unknown>;
type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export function lazyChildLogger(logger: FastifyBaseLogger, bindings: Bindings, options: object): FastifyBaseLogger {
  // A route with its own level or serializers gets its child at once: its options decide what is enabled.
  const enabled = (logger as { isLevelEnabled?: unknown }).isLevelEnabled;
  if (Object.keys(options).length > 0 || typeof enabled !== 'function') return logger.child(bindings, options);
  return new LazyChildLogger(logger, bindings);
}

class LazyChildLogger implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  #child: FastifyBaseLogger | undefined;

  constructor(parent: FastifyBaseLogger, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }

  error(...args: unknown[]): void {
    this.#log('error', args);
  }

  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }

  info(...args: unknown[]): void {
    this.#log('info', args);
  }

  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }

  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }

  silent(): void {
    // Pino's silent level writes nothing.
  }

  child(bindings: Bindings, options?: object): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }

  #log(level: Level, args: unknown[]): void {
    // Until the child exists, the parent's level is the child's.
    if (this.#child === undefined && !(this.#parent as unknown as { isLevelEnabled(level: string): boolean }).isLevelEnabled(level)) return;
    const real = this.#real();
    Reflect.apply(real[level], real, args);
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings);
    return this.#child;
  }
}
