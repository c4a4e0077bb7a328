/** Actions a sandbox rule blocked (seen by the API before or at the chain), for the regulator's counts and alerts. */
import type { Db } from "../database.js";

export interface BlockedAction {
  timestamp: number;
  actor: string | null;
  action: string;
  /** The error's catalogue code and the rule it enforces. */
  code: string;
  rule: string;
  /** JSON of the error's name and parameters. */
  details: string;
}

export class BlockedActionRepository {
  readonly #insert;

  constructor(db: Db) {
    this.#insert = db.prepare<[number, string | null, string, string, string, string]>(
      "INSERT INTO blocked_actions(timestamp, actor, action, code, rule, details) VALUES (?, ?, ?, ?, ?, ?)",
    );
  }

  record(b: BlockedAction): void {
    this.#insert.run(b.timestamp, b.actor, b.action, b.code, b.rule, b.details);
  }
}
