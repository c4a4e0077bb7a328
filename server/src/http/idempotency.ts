/**
 * Idempotency-Key support for every write: the first request with a key runs and its answer is
 * stored; a retry with the same key and the same request gets that answer again, never a second
 * invoice, transfer or financing. The record is written when the request's transaction is signed,
 * with its hash, before it is sent, so after a crash the platform knows which requests reached
 * the chain; a request cut off before that never acted, and its retry simply runs. While the first
 * request runs, this process knows its key (a second one is told it is in progress).
 *
 * Answers are kept for a retention (SCF_IDEMPOTENCY_HOURS, default 24 hours, from the first
 * write): a key older than that runs again as new, and expired records are purged in batches, at
 * most every few minutes, as requests come. A record still pending (its transaction's fate not
 * known) is never purged: a restart or a retry settles it from the chain first.
 */
import { createHash } from "node:crypto";

import type { Request, Response } from "express";

import { decodeLog, type DecodedLog } from "../chain/contracts.js";
import { BatchedWrites } from "../db/batch.js";
import { IdempotencyRepository, type IdempotencyChange, type IdempotencyRecord, type IdempotencyRow } from "../db/repositories/idempotency.js";
import { AppError } from "../errors.js";
import type { Actor, Ctx, WriteHooks } from "../services/context.js";
import { sendJson, type AnyRoute } from "./routes.js";

/** Default retention of the answers. */
export const IDEMPOTENCY_HOURS = 24;
/** Least time between two purges, and the most rows one purge deletes (the rest at the next). */
const PURGE_EVERY_MS = 5 * 60_000;
const PURGE_BATCH = 5_000;

export interface IdempotencyOptions {
  /** How long an answer is kept and replayed (hours). */
  retentionHours?: number;
}

export class IdempotencyStore {
  /** The records' writes, committed together with the other requests' of the same moment. */
  readonly #writes: BatchedWrites;
  readonly #records: IdempotencyRepository;
  /** Keys whose first request is running in this process, with that request's hash. */
  readonly #inFlight = new Map<string, string>();

  readonly #retentionSeconds: number;
  /** When the last purge ran (ms), or 0: the first request purges. */
  #purgedAt = 0;

  constructor(
    private readonly ctx: Ctx,
    options: IdempotencyOptions = {},
  ) {
    this.#writes = new BatchedWrites(ctx.db);
    this.#records = new IdempotencyRepository(ctx.db);
    this.#retentionSeconds = Math.round((options.retentionHours ?? IDEMPOTENCY_HOURS) * 3_600);
  }

  /**
   * Deletes answers older than the retention (at most `PURGE_BATCH`, oldest first); returns how
   * many went. Pending records stay (see the file's comment).
   */
  purgeExpired(nowMs = Date.now()): number {
    const cutoff = Math.floor(nowMs / 1000) - this.#retentionSeconds;
    return this.#records.purgeDoneBefore(cutoff, PURGE_BATCH);
  }

  /** Purges now and then, as requests come: again soon while a backlog remains. */
  #purgeNowAndThen(): void {
    const now = Date.now();
    if (now - this.#purgedAt < PURGE_EVERY_MS) return;
    const purged = this.purgeExpired(now);
    this.#purgedAt = purged < PURGE_BATCH ? now : now - PURGE_EVERY_MS + 1_000;
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
    this.#purgeNowAndThen();
    let existing = this.#records.get(actor.userId, key);
    if (existing?.state === "done" && existing.created_at < Math.floor(Date.now() / 1000) - this.#retentionSeconds) {
      // Past its retention: the key is new again (the record goes now, not at the next purge).
      this.#records.delete(actor.userId, key);
      existing = undefined;
    }
    const running = this.#inFlight.get(slot);
    if (existing === undefined && running !== undefined) {
      // The first request has not signed anything yet (no record): it is still running.
      throw new AppError(running === requestHash ? "RequestInProgress" : "IdempotencyKeyReused");
    }
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
    const record: IdempotencyRecord = { userId: actor.userId, key, requestHash, operation: spec.operation ?? "", request };
    const hooks: WriteHooks = {
      // Before the transaction is sent: a crash from here on is settled from the chain (see #resume).
      onSigned: (txHash) => this.#write(record, { state: "pending", txHash }),
    };
    this.#inFlight.set(slot, requestHash);
    try {
      const body = JSON.stringify(await run(hooks));
      await this.#finish(record, status, body);
      sendJson(res, status, undefined, body);
    } catch (error) {
      if (error instanceof AppError && error.status < 500) {
        // A refusal is an answer too: the same request would be refused the same way.
        await this.#finish(record, error.status, JSON.stringify({ error: { ...errorBodyOf(error), requestId: String(res.locals.requestId ?? "") } }));
      }
      // Otherwise: once signed, the transaction may have landed, and the record written then stays
      // (pending, with its hash) so a retry answers from the chain instead of acting twice; before
      // signing nothing happened, and nothing was recorded.
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
    row: IdempotencyRow,
    input: { params: unknown; query: unknown; body: unknown },
  ): Promise<IdempotencyRow | undefined> {
    const forget = () => {
      this.#records.delete(actor.userId, key);
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
    await this.#finish({ userId: actor.userId, key, requestHash: row.request_hash, operation: spec.operation ?? "", request: "" }, status, body);
    return { ...row, state: "done", status, body };
  }

  /**
   * Stores the answer, before it is sent: the record written when signing is completed, or written
   * now (nothing was signed).
   */
  #finish(record: IdempotencyRecord, status: number, body: string): Promise<void> {
    return this.#write(record, { state: "done", status, body });
  }

  /**
   * Writes `record` with `change` (in the next batch): inserted if new, else its state, status and
   * body replaced, and its transaction hash when one is given (a send again after running out of gas).
   */
  #write(record: IdempotencyRecord, change: IdempotencyChange): Promise<void> {
    return this.#writes.run(() => this.#records.write(record, change, Math.floor(Date.now() / 1000)));
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
