/**
 * The one error type spoc raises for expected failures. It carries a stable string code and the HTTP
 * status to answer with, so the HTTP edge maps it once and every CLI or channel can print the code.
 */
export class SpocError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'SpocError';
  }
}

export const notFound = (what: string, id: string) => new SpocError('not_found', `${what} ${id} not found`, 404);

/** Work that must not be retried (bad payload, permanent refusal): the queue marks it failed at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
