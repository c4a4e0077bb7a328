/** Calendar dates (YYYY-MM-DD, UTC) as the Unix seconds the contracts use: midnight UTC. */
export function isoDateToUnix(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000);
}

export function unixToIsoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}
