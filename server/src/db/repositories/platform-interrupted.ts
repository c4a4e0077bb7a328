/**
 * Requests cut off by a stop (idempotency records still pending), as the start's reconciliation
 * reads and settles them: each is answered from the chain or forgotten.
 */
import type { RoleName } from "../../../../domain/enums.js";
import type { Db } from "../database.js";

export interface InterruptedRequest {
  userId: number;
  key: string;
  operation: string;
  /** The request as JSON: { params, query, body }. */
  request: string;
  txHash: string | null;
}

/** The user who sent a request and the participant they act for. */
export interface RequesterRow {
  id: number;
  username: string;
  displayName: string;
  participant: string;
  role: RoleName;
  name: string;
}

export class InterruptedRequestRepository {
  readonly #pending;
  readonly #forget;
  readonly #answer;
  readonly #requester;

  constructor(db: Db) {
    this.#pending = db.prepare<[], { user_id: number; key: string; operation: string; request: string; tx_hash: string | null }>(
      "SELECT user_id, key, operation, request, tx_hash FROM idempotency WHERE state = 'pending'",
    );
    this.#forget = db.prepare<[number, string]>("DELETE FROM idempotency WHERE user_id = ? AND key = ?");
    this.#answer = db.prepare<[number, string, number, string]>("UPDATE idempotency SET state = 'done', status = ?, body = ? WHERE user_id = ? AND key = ?");
    this.#requester = db.prepare<[number], { id: number; username: string; display_name: string; participant: string; role: RoleName; name: string }>(
      "SELECT u.id, u.username, u.display_name, u.participant, p.role, p.name FROM users u JOIN participants p ON p.address = u.participant WHERE u.id = ?",
    );
  }

  pending(): InterruptedRequest[] {
    return this.#pending.all().map((r) => ({ userId: r.user_id, key: r.key, operation: r.operation, request: r.request, txHash: r.tx_hash }));
  }

  /** The request never reached the chain, or its answer cannot be rebuilt: its retry runs again. */
  forget(userId: number, key: string): void {
    this.#forget.run(userId, key);
  }

  /** The answer rebuilt from the chain, which the retry will receive. */
  answer(userId: number, key: string, status: number, body: unknown): void {
    this.#answer.run(status, JSON.stringify(body), userId, key);
  }

  requester(userId: number): RequesterRow | undefined {
    const r = this.#requester.get(userId);
    return r === undefined ? undefined : { id: r.id, username: r.username, displayName: r.display_name, participant: r.participant, role: r.role, name: r.name };
  }
}
