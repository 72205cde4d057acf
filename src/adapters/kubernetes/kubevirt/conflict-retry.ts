import { asKubeApiError } from './kube-errors.js';

/**
 * Runs a read-modify-write again while the server answers 409 (someone changed the object between
 * our read and our guarded write), at most `attempts` times; the last 409 is rethrown for the caller
 * to report as a transient Conflict.
 */
export async function retryOnConflict<T>(attempts: number, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || asKubeApiError(error).status !== 409) throw error;
    }
  }
}
