/**
 * ISO-8601 UTC text with milliseconds, the one time format stored in cenv files: it sorts
 * and compares correctly as text, in SQL and in JS alike.
 * @example nowIso(0) === '1970-01-01T00:00:00.000Z'
 */
export function nowIso(now: number = Date.now()): string {
  return new Date(now).toISOString();
}
