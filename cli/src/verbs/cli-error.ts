// Errors the CLI itself raises (bad arguments, missing types, parse failures):
// kubectl prints these as `error: <message>` and exits 1.
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An error already written to stderr by the verb: only the exit code is left to report. */
export class ReportedError extends Error {
  override name = 'ReportedError';
  constructor(readonly exitCode = 1) {
    super('reported');
  }
}
