/**
 * Chain time as the contracts keep it: Unix seconds, days of 86,400 seconds, calendar dates as
 * midnight UTC. Every part of the platform (contract tests, server, web, simulator) counts days
 * with these, so a due date means the same second everywhere.
 */

/** Seconds in a day of chain time (no leap seconds: Unix time). */
export const DAY = 86_400;

/** A calendar date (YYYY-MM-DD, UTC) as the Unix seconds of its midnight UTC. */
export function isoDateToUnix(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000);
}

/** The calendar date (YYYY-MM-DD, UTC) of Unix second `seconds`. */
export function unixToIsoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}
