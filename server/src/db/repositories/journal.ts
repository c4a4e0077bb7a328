/**
 * The local chain's journal: every block the platform's chain made (number, hash, state root,
 * time) and its signed transactions in order, the record a restart replays (chain/sync.ts).
 */
import type { Db } from "../database.js";

export interface JournaledBlock {
  number: number;
  stateRoot: string;
  timestamp: number;
}

export class JournalRepository {
  readonly #insertBlock;
  readonly #insertTx;
  readonly #blocks;
  readonly #txsOf;

  constructor(db: Db) {
    this.#insertBlock = db.prepare<[number, string, string, number]>("INSERT INTO chain_blocks(number, hash, state_root, timestamp) VALUES (?, ?, ?, ?)");
    this.#insertTx = db.prepare<[string, number, number, string]>("INSERT INTO chain_txs(hash, block_number, idx, raw) VALUES (?, ?, ?, ?)");
    this.#blocks = db.prepare<[], { number: number; state_root: string; timestamp: number }>("SELECT number, state_root, timestamp FROM chain_blocks ORDER BY number");
    this.#txsOf = db.prepare<[number], { raw: string }>("SELECT raw FROM chain_txs WHERE block_number = ? ORDER BY idx");
  }

  /** Records block `number` and its transactions (hash and signed bytes, in block order). */
  append(block: { number: number; hash: string; stateRoot: string; timestamp: number }, txs: readonly { hash: string; raw: string }[]): void {
    this.#insertBlock.run(block.number, block.hash, block.stateRoot, block.timestamp);
    txs.forEach((tx, i) => this.#insertTx.run(tx.hash, block.number, i, tx.raw));
  }

  /** Every journaled block, oldest first. */
  blocks(): JournaledBlock[] {
    return this.#blocks.all().map((b) => ({ number: b.number, stateRoot: b.state_root, timestamp: b.timestamp }));
  }

  /** The signed transactions of block `number`, in block order. */
  rawTransactions(number: number): string[] {
    return this.#txsOf.all(number).map((t) => t.raw);
  }
}
