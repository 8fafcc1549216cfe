import { afterAll, beforeAll } from 'vitest';
import { startSpoc, type RunningSpoc } from '../support/spoc.js';

/** Boots the real app for a describe block; the getter is valid inside its tests. */
export function withSpoc(): () => RunningSpoc {
  let app: RunningSpoc | undefined;
  beforeAll(async () => {
    app = await startSpoc();
  }, 60_000);
  afterAll(() => app?.close());
  return () => app!;
}
