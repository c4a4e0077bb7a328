/**
 * Idempotency-Key support for every write: the first request with a key runs and its answer is
 * stored; a retry with the same key and the same request gets that answer again, never a second
 * invoice, transfer or financing. The record is written before the transaction is sent and learns
 * its hash when it is signed, so after a crash the platform knows which requests reached the chain.
 */
import { createHash } from "node:crypto";

import type { Request, Response } from "express";

import { decodeLog, type DecodedLog } from "../chain/contracts.js";
import { AppError } from "../errors.js";
import type { Actor, Ctx, WriteHooks } from "../services/context.js";
import { sendJson, type AnyRoute } from "./routes.js";

interface Row {
  request_hash: string;
  state: "pending" | "done";
  status: number | null;
  body: string | null;
  tx_hash: string | null;
}

export class IdempotencyStore {
  /** Keys whose first request is running in this process. */
  readonly #inFlight = new Set<string>();

  constructor(private readonly ctx: Ctx) {}

  private get db() {
    return this.ctx.db;
  }

  /** Middleware body: see {Middlewares.idempotency}. */
  handle = async (
    spec: AnyRoute,
    req: Request,
    res: Response,
    actor: Actor,
    input: { params: unknown; query: unknown; body: unknown },
    run: (hooks: WriteHooks) => Promise<unknown>,
  ): Promise<void> => {
    const status = spec.status ?? 200;
    const key = req.get("Idempotency-Key");
    if (key === undefined) {
      sendJson(res, status, await run({}));
      return;
    }
    if (key.length === 0 || key.length > 128) {
      throw new AppError("ValidationFailed", { details: "Idempotency-Key: must be 1 to 128 characters" }, [
        { path: "headers.Idempotency-Key", rule: "too_big", message: "must be 1 to 128 characters" },
      ]);
    }
    const request = JSON.stringify({ operation: spec.operation, path: req.path, ...input });
    const requestHash = createHash("sha256").update(request).digest("hex");
    const slot = `${actor.userId}:${key}`;
    let existing = this.db
      .prepare("SELECT request_hash, state, status, body, tx_hash FROM idempotency WHERE user_id = ? AND key = ?")
      .get(actor.userId, key) as Row | undefined;
    if (existing !== undefined) {
      if (existing.request_hash !== requestHash) throw new AppError("IdempotencyKeyReused");
      if (existing.state === "pending") {
        if (this.#inFlight.has(slot)) throw new AppError("RequestInProgress");
        // Left pending by a first attempt that failed after signing: answer from the chain.
        existing = await this.#resume(spec, actor, key, existing, input);
      }
    }
    if (existing !== undefined) {
      res.setHeader("Idempotent-Replayed", "true");
      sendJson(res, existing.status ?? 200, undefined, existing.body ?? "null");
      return;
    }
    this.db
      .prepare(
        `INSERT INTO idempotency(user_id, key, request_hash, operation, request, state, created_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
      )
      .run(actor.userId, key, requestHash, spec.operation, request, Math.floor(Date.now() / 1000));
    const hooks: WriteHooks = {
      onSigned: (txHash) =>
        this.db.prepare("UPDATE idempotency SET tx_hash = ? WHERE user_id = ? AND key = ?").run(txHash, actor.userId, key),
    };
    this.#inFlight.add(slot);
    try {
      const body = JSON.stringify(await run(hooks));
      this.#finish(actor.userId, key, status, body);
      sendJson(res, status, undefined, body);
    } catch (error) {
      if (error instanceof AppError && error.status < 500) {
        // A refusal is an answer too: the same request would be refused the same way.
        this.#finish(actor.userId, key, error.status, JSON.stringify({ error: { ...errorBodyOf(error), requestId: String(res.locals.requestId ?? "") } }));
      } else {
        // Once signed, the transaction may have landed: keep the record so a retry answers from
        // the chain instead of acting twice. Before signing, nothing happened: forget it.
        this.db.prepare("DELETE FROM idempotency WHERE user_id = ? AND key = ? AND tx_hash IS NULL").run(actor.userId, key);
      }
      throw error;
    } finally {
      this.#inFlight.delete(slot);
    }
  };

  /**
   * Settles a pending record left by a failed first attempt: if its transaction landed, the
   * answer is rebuilt from it (as after a crash) and stored; if it never reached the chain, the
   * record is dropped and the request runs again (returns undefined).
   */
  async #resume(
    spec: AnyRoute,
    actor: Actor,
    key: string,
    row: Row,
    input: { params: unknown; query: unknown; body: unknown },
  ): Promise<Row | undefined> {
    const forget = () => {
      this.db.prepare("DELETE FROM idempotency WHERE user_id = ? AND key = ?").run(actor.userId, key);
      return undefined;
    };
    if (row.tx_hash === null) return forget();
    const receipt = await this.ctx.sender.receipt(row.tx_hash, 2_000).catch(() => null);
    if (receipt === null) {
      // An external node may still mine it: keep waiting (a restart reconciles it for good).
      if (this.ctx.chain.mode === "external") throw new AppError("RequestInProgress");
      return forget();
    }
    if (spec.recover === undefined || receipt.status !== 1) throw new AppError("RequestInProgress");
    await this.ctx.sync.upTo(receipt.blockNumber);
    const events = receipt.logs.map((l) => decodeLog(this.ctx.addresses, l)).filter((e): e is DecodedLog => e !== null);
    const body = JSON.stringify(await spec.recover(this.ctx, { receipt, events }, { ...input, actor }));
    const status = spec.status ?? 200;
    this.#finish(actor.userId, key, status, body);
    return { ...row, state: "done", status, body };
  }

  #finish(userId: number, key: string, status: number, body: string): void {
    this.db
      .prepare("UPDATE idempotency SET state = 'done', status = ?, body = ? WHERE user_id = ? AND key = ?")
      .run(status, body, userId, key);
  }
}

/** The error body of the API (without the request id). */
export function errorBodyOf(error: AppError) {
  return {
    code: error.entry.code,
    name: error.errorName,
    rule: error.entry.rule,
    policy: error.entry.policy,
    message: error.message,
    params: error.params,
    fields: error.fields,
  };
}
