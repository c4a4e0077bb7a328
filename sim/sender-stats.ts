/**
 * What the simulator's sender reports about itself (sim/chain.ts): where its time went, for the
 * benchmark, and the blocks it made, for a replay on the chain alone.
 */

/** Where a sender's time goes (milliseconds), for the benchmark. */
export interface SenderStats {
  /** Transactions mined (reverted ones included). */
  transactions: number;
  reverted: number;
  /** Blocks holding transactions. */
  blocks: number;
  /** Transactions sent with the signature made ahead of their turn. */
  signedAhead: number;
  /** Blocks whose time the chain's own clock gave (not set by a request; see sim/chain-clock.ts). */
  timesLeftToChain: number;
  /** The chain held by one action after another (one transaction per block: from its turn to its block). */
  heldMs: number;
  preflightMs: number;
  /** Signing on the chain's path (not counting signatures made ahead). */
  signMs: number;
  /** Sending (one transaction per block: and mining). */
  sendMs: number;
  /** Mining wave blocks and reading their receipts. */
  mineMs: number;
}

/** A block this sender made, for a replay on the chain alone (bench:sim): its time, and its transaction (none: an empty block). */
export interface SentBlock {
  time: number;
  raw?: string;
}

export function emptyStats(): SenderStats {
  return { transactions: 0, reverted: 0, blocks: 0, signedAhead: 0, timesLeftToChain: 0, heldMs: 0, preflightMs: 0, signMs: 0, sendMs: 0, mineMs: 0 };
}
