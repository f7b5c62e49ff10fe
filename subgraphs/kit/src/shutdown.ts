import { loggerFor } from './logger.js';
import { SecretError } from './secrets.js';
import { stopTracing } from './tracing.js';

/** Time in-flight requests get to finish once a process is told to stop (`DCRM_SHUTDOWN_GRACE_MS`, default 10 s). */
export function shutdownGraceMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.DCRM_SHUTDOWN_GRACE_MS ?? 10_000);
  return Number.isFinite(ms) && ms >= 0 ? ms : 10_000;
}

/** A start-up failure the user can act on: its message is printed as the one line of the failure. */
export class StartupError extends Error {}

/**
 * Prints why a process could not start, in one line, and exits 1: no stack for the failures we
 * expect (secrets, ports, the database), the message of anything else.
 */
export function exitOnStartupError(error: unknown): never {
  const known = error instanceof StartupError || error instanceof SecretError;
  const message = error instanceof Error ? error.message : String(error);
  loggerFor('startup').fatal(`could not start: ${known ? message : describe(error, message)}`);
  process.exit(1);
}

// Driver errors carry the useful part in `code` (ECONNREFUSED, 3D000, 28P01) beside a terse message.
function describe(error: unknown, message: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  const text = message || (error instanceof AggregateError ? error.errors.map((e) => String(e?.message ?? e)).join('; ') : '');
  return [typeof code === 'string' ? code : null, text || 'unknown error'].filter(Boolean).join(': ');
}

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits 0 (1 if stopping failed or took far longer than
 * the grace period). A second signal exits at once. Under pnpm/npm, which do not pass SIGTERM on to
 * their child, the process also stops when the package manager that started it goes away.
 */
export function stopOnSignals(stop: () => Promise<void>, log: (line: string) => void = (l) => loggerFor('process').info(l)): void {
  let stopping = false;
  const begin = (reason: string) => {
    if (stopping) {
      log(`${reason} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log(`${reason}: stopping (in-flight requests get up to ${shutdownGraceMs()} ms)`);
    const deadline = setTimeout(() => {
      loggerFor('process').error('shutdown took too long: exiting');
      process.exit(1);
    }, shutdownGraceMs() + 15_000);
    deadline.unref();
    // Spans of the last requests are flushed once the server has drained.
    stop()
      .then(stopTracing)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          loggerFor('process').error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => begin('SIGTERM'));
  process.on('SIGINT', () => begin('SIGINT'));
  if (process.env.npm_command || process.env.npm_lifecycle_event) {
    // Started through a package manager: when it dies (`kill <pnpm>`), we are re-parented.
    const parent = process.ppid;
    const timer = setInterval(() => {
      if (process.ppid !== parent) {
        clearInterval(timer);
        begin('parent process gone');
      }
    }, 500);
    timer.unref();
  }
}
