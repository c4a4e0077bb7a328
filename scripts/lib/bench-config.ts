/** The platform's settings every benchmark starts it with: the built-in chain, data in `dataDir`. */
export const benchConfig = (dataDir: string) => ({
  dataDir,
  rpcUrl: undefined,
  keySecret: "bench secret, at least sixteen characters",
  sessionTtlMs: 3_600_000,
  host: "127.0.0.1",
  chainPort: 0,
});
