// Worker ids (= branch names of worker branches): the AUR's package-name
// rule, bounded in length. Checked before any lookup, ref or path use.

export const WORKER_ID_PATTERN = /^[a-z0-9][a-z0-9.+_-]*$/;
export const WORKER_ID_MAX_LENGTH = 100;

export function isWorkerId(value: string): boolean {
  return value.length <= WORKER_ID_MAX_LENGTH && WORKER_ID_PATTERN.test(value);
}
